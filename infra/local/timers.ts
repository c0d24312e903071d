import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { scheduleRoutes } from '../../shared/routes';

type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

/** Fires every schedule route on its interval with the EventBridge event AWS would send. */
export function startTimers(projectRoot: string, log: (line: string) => void): { stop(): void } {
  const timers = scheduleRoutes.map((route) => {
    const fire = async () => {
      const module = (await import(pathToFileURL(`${projectRoot}/${route.file}`).href)) as { handler: ScheduledHandler };
      const event: ScheduledEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: 'local',
        time: new Date().toISOString(),
        region: 'local',
        resources: [`arn:aws:events:local:000000000000:rule/${route.name}`],
        detail: {},
      };
      await module.handler(event, { awsRequestId: event.id, functionName: route.name, getRemainingTimeInMillis: () => 50_000 } as Context);
    };
    const run = () => {
      fire().catch((error: unknown) => log(`[timer] ${route.name} failed: ${error instanceof Error ? error.message : String(error)}`));
    };
    return setInterval(run, route.everyMinutes * 60_000);
  });
  return { stop: () => timers.forEach((timer) => clearInterval(timer)) };
}
