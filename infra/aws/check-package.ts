/**
 * Checks what `osls package` wrote to .serverless/ against the route table (shared/routes.ts):
 * every HTTP route is an HTTP API route wired to its own Lambda, unmatched requests go to the
 * catch-all through `$default`, every schedule is an EventBridge rule allowed to invoke its Lambda,
 * and every function has its runtime, time limit and a zip holding its handler. Also that the only
 * permissions granted are the functions' own CloudWatch Logs (least privilege: nothing else is
 * called through IAM), and that no zip holds private key text or a sandbox secret
 * (infra/build/sandbox-material.ts). Runs after `osls package` in `npm run package:aws`; exits 1
 * naming each problem.
 *
 *   tsx infra/aws/check-package.ts [packageDir]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { parse } from 'yaml';
import { projectRoot } from '../build/esbuild-options';
import { sandboxMaterialInZip, sandboxSecretNeedles, type Needle } from '../build/sandbox-material';
import { allFunctions, fallbackRoute, httpRoutes, scheduleRoutes } from '../../shared/routes';

/** What serverless.yml asks for (provider.runtime, API_BASE_PATH), so this check follows it. */
function declared(): { basePath: string; runtime: string } {
  const document = parse(readFileSync(path.join(projectRoot, 'serverless.yml'), 'utf8')) as { provider?: { runtime?: unknown; environment?: { API_BASE_PATH?: unknown } } };
  const { runtime, environment } = document.provider ?? {};
  if (typeof runtime !== 'string' || typeof environment?.API_BASE_PATH !== 'string') throw new Error('serverless.yml: provider.runtime or API_BASE_PATH missing');
  return { basePath: environment.API_BASE_PATH, runtime };
}

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

/** `{ "Fn::GetAtt": [logicalId, "Arn"] }` → logicalId */
function getAttTarget(value: unknown): string | undefined {
  const getAtt = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['Fn::GetAtt'] : undefined;
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** The Route's `Target` is `integrations/<Ref Integration>` built with Fn::Join. */
function integrationOf(route: Resource): string | undefined {
  const join = (route.Properties.Target as Record<string, unknown> | undefined)?.['Fn::Join'];
  const parts = Array.isArray(join) && Array.isArray(join[1]) ? (join[1] as unknown[]) : [];
  const ref = parts.find((part): part is { Ref: string } => typeof part === 'object' && part !== null && 'Ref' in part);
  return ref?.Ref;
}

const rate = (minutes: number): string => `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;

/** Actions the execution role may allow: writing the functions' own logs. */
const allowedActions = new Set(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:TagResource']);

/** Every IAM resource is a role whose inline policies allow only `allowedActions`, never on `*`. */
function iamProblems(resources: readonly [string, Resource][]): string[] {
  const problems: string[] = [];
  for (const [id, resource] of resources.filter(([, candidate]) => candidate.Type.startsWith('AWS::IAM::'))) {
    if (resource.Type !== 'AWS::IAM::Role') {
      problems.push(`IAM: unexpected ${resource.Type} ${id}`);
      continue;
    }
    if (resource.Properties.ManagedPolicyArns !== undefined) problems.push(`IAM: role ${id} has managed policies`);
    const policies = Array.isArray(resource.Properties.Policies) ? (resource.Properties.Policies as { PolicyDocument?: { Statement?: unknown } }[]) : [];
    for (const policy of policies) {
      const statements = Array.isArray(policy.PolicyDocument?.Statement) ? (policy.PolicyDocument.Statement as Record<string, unknown>[]) : [];
      for (const statement of statements) {
        const actions = ([] as unknown[]).concat(statement.Action ?? []);
        const extra = actions.filter((action) => typeof action !== 'string' || !allowedActions.has(action));
        if (statement.Effect === 'Allow' && extra.length > 0) problems.push(`IAM: role ${id} allows ${extra.map(String).join(', ')} (only the functions' own logs are needed)`);
        if (statement.Effect === 'Allow' && ([] as unknown[]).concat(statement.Resource ?? []).includes('*')) problems.push(`IAM: role ${id} allows ${actions.map(String).join(', ')} on *`);
      }
    }
  }
  return problems;
}

export function checkAwsPackage(packageDir: string, needles: readonly Needle[] = sandboxSecretNeedles()): { problems: string[]; checked: string[]; zips: number } {
  const template = JSON.parse(readFileSync(path.join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')) as { Resources: Record<string, Resource> };
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const problems: string[] = [];
  const checked: string[] = [];
  const { basePath, runtime } = declared();

  const lambdaIdByName = new Map<string, string>();
  for (const [id, resource] of ofType('AWS::Lambda::Function')) {
    const name = String(resource.Properties.FunctionName ?? '');
    const fn = allFunctions.find((candidate) => name.endsWith(`-${candidate.name}`));
    if (fn) lambdaIdByName.set(fn.name, id);
    else problems.push(`Lambda ${name} is not in the route table`);
  }

  for (const fn of allFunctions) {
    const id = lambdaIdByName.get(fn.name);
    const properties = id ? template.Resources[id]?.Properties : undefined;
    if (!properties) {
      problems.push(`${fn.name}: no Lambda function`);
      continue;
    }
    const handlerFile = fn.file.replace(/\.ts$/, '');
    if (properties.Handler !== `${handlerFile}.handler`) problems.push(`${fn.name}: handler ${String(properties.Handler)}`);
    if (properties.Runtime !== runtime) problems.push(`${fn.name}: runtime ${String(properties.Runtime)}, expected ${runtime}`);
    if (properties.Timeout !== fn.timeoutSeconds) problems.push(`${fn.name}: timeout ${String(properties.Timeout)} s, expected ${fn.timeoutSeconds} s`);
    try {
      const entries = unzipSync(readFileSync(path.join(packageDir, `${fn.name}.zip`)));
      if (!entries[`${handlerFile}.js`]) problems.push(`${fn.name}.zip has no ${handlerFile}.js`);
    } catch (error) {
      problems.push(`${fn.name}.zip: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const lambdaBehind = new Map<string, string | undefined>();
  for (const [id, resource] of ofType('AWS::ApiGatewayV2::Integration')) lambdaBehind.set(id, getAttTarget(resource.Properties.IntegrationUri));
  const routeKeys = new Map(ofType('AWS::ApiGatewayV2::Route').map(([, route]) => [String(route.Properties.RouteKey), route]));
  const expectRoute = (routeKey: string, functionName: string) => {
    const route = routeKeys.get(routeKey);
    const integration = route ? integrationOf(route) : undefined;
    const target = integration ? lambdaBehind.get(integration) : undefined;
    if (!route) problems.push(`no HTTP API route ${routeKey}`);
    else if (target !== lambdaIdByName.get(functionName)) problems.push(`${routeKey} goes to ${target ?? 'nothing'}, expected ${functionName}`);
    else checked.push(`${routeKey} → ${functionName}`);
  };
  for (const route of httpRoutes) expectRoute(`${route.method} ${basePath}${route.path}`, route.name);
  expectRoute('$default', fallbackRoute.name);
  if (routeKeys.size !== httpRoutes.length + 1) problems.push(`${routeKeys.size} HTTP API routes, expected ${httpRoutes.length + 1}`);

  const rules = ofType('AWS::Events::Rule');
  const permissions = ofType('AWS::Lambda::Permission');
  for (const schedule of scheduleRoutes) {
    const lambdaId = lambdaIdByName.get(schedule.name);
    const rule = rules.find(([, resource]) => {
      const targets = Array.isArray(resource.Properties.Targets) ? (resource.Properties.Targets as { Arn?: unknown }[]) : [];
      return targets.some((target) => getAttTarget(target.Arn) === lambdaId);
    });
    const allowed = rule && permissions.some(([, permission]) => getAttTarget(permission.Properties.FunctionName) === lambdaId && getAttTarget(permission.Properties.SourceArn) === rule[0]);
    if (!rule) problems.push(`${schedule.name}: no EventBridge rule`);
    else if (rule[1].Properties.ScheduleExpression !== rate(schedule.everyMinutes)) problems.push(`${schedule.name}: schedule ${String(rule[1].Properties.ScheduleExpression)}`);
    else if (rule[1].Properties.State !== 'ENABLED') problems.push(`${schedule.name}: rule not enabled`);
    else if (!allowed) problems.push(`${schedule.name}: EventBridge may not invoke it`);
    else checked.push(`${rate(schedule.everyMinutes)} → ${schedule.name}`);
  }

  problems.push(...iamProblems(resources));
  const zips = readdirSync(packageDir).filter((file) => file.endsWith('.zip'));
  for (const zip of zips) problems.push(...sandboxMaterialInZip(zip, readFileSync(path.join(packageDir, zip)), needles));
  return { problems, checked, zips: zips.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(projectRoot, 'infra', 'aws', 'check-package.ts')) {
  const packageDir = path.resolve(process.argv[2] ?? path.join(projectRoot, '.serverless'));
  const { problems, checked, zips } = checkAwsPackage(packageDir);
  if (problems.length > 0) {
    console.error(`AWS package in ${packageDir} fails its check:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    process.exit(1);
  }
  console.log(
    `AWS package matches shared/routes.ts: ${allFunctions.length} functions (runtime, time limit, handler in zip), ${checked.length} routes and schedules; IAM allows only the functions' logs; none of ${zips} zips holds a private key or sandbox secret.`,
  );
}
