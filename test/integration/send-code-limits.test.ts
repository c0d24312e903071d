import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as sendCode from '../../functions/auth/send-code';
import { execute, select } from '../../shared/db/pool';
import { awsHttpEvent, platforms, scfUrlEvent, type ApiCall } from '../helpers/events';
import { sentSms, uniqueIp, uniquePhone } from '../helpers/sandbox';

const send = (phone: string, sourceIp: string): ApiCall => ({ method: 'POST', path: '/auth/send-code', body: { phone }, sourceIp });

/** Lets the next code to `phone` past the 60 s resend gap, so only the per-minute limit is left. */
async function outwaitResendGap(phone: string): Promise<void> {
  await execute('UPDATE otp_codes SET created_at = created_at - INTERVAL 2 MINUTE WHERE phone = ?', [phone]);
}

describe.each(platforms)('send-code limits over HTTP on $name', (platform) => {
  it('answers the 21st send from one IP within the hour with 429, code 1004 and Retry-After', async () => {
    // Arrange: 20 different phones from one address
    const ip = uniqueIp();
    const first20 = [];
    for (let i = 0; i < 20; i += 1) first20.push(await platform.call(sendCode, send(uniquePhone(), ip)));

    // Act
    const twentyFirst = await platform.call(sendCode, send(uniquePhone(), ip));
    const otherIp = await platform.call(sendCode, send(uniquePhone(), uniqueIp()));

    // Assert
    expect(first20.map((result) => result.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(twentyFirst.status).toBe(429);
    expect(twentyFirst.json).toMatchObject({ success: false, error: { code: 1004, message: expect.any(String) } });
    expect(Number(twentyFirst.headers['retry-after'])).toBeGreaterThan(3500);
    expect(Number(twentyFirst.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(otherIp.status).toBe(200);
  });

  it('answers the 6th send to one phone within a minute with 429, even past the resend gap', async () => {
    // Arrange: five codes to one phone, each past the resend gap
    const phone = uniquePhone();
    const first5 = [];
    for (let i = 0; i < 5; i += 1) {
      first5.push(await platform.call(sendCode, send(phone, uniqueIp())));
      await outwaitResendGap(phone);
    }

    // Act
    const sixth = await platform.call(sendCode, send(phone, uniqueIp()));

    // Assert
    expect(first5.map((result) => result.status)).toEqual([200, 200, 200, 200, 200]);
    expect(sixth.status).toBe(429);
    expect(sixth.json.error?.code).toBe(1004);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(60);
  });
});

describe.each(platforms)('send-code under concurrency on $name', (platform) => {
  it('sends exactly one SMS and leaves exactly one valid code for 50 concurrent requests to one phone', async () => {
    // Arrange
    const phone = uniquePhone();

    // Act
    const results = await Promise.all(Array.from({ length: 50 }, () => platform.call(sendCode, send(phone, uniqueIp()))));

    // Assert
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    expect(new Set(results.filter((result) => result.status !== 200).map((result) => result.json.error?.code))).toEqual(new Set([1004]));
    expect(await sentSms(phone)).toHaveLength(1);
    const [valid] = await select<{ n: number | string }>('SELECT COUNT(*) AS n FROM otp_codes WHERE phone = ? AND consumed_at IS NULL AND expires_at > NOW(3)', [phone]);
    expect(Number(valid?.n)).toBe(1);
  });
});

/** The address a client tries to claim, in the ways it can reach the event. */
const forgedAddresses = [
  ['a spoofed address', '6.6.6.6'],
  ['a comma-joined list', '6.6.6.6, 7.7.7.7'],
  ['an over-long value', `6.6.6.6${'0'.repeat(100)}`],
  ['a non-IP value', "'); DROP TABLE users; --"],
] as const;

/** Each platform's event with the real address where the platform puts it and a client-set header. */
const shapes = [
  {
    name: 'AWS HTTP API v2',
    call: (call: ApiCall, forged: string) => sendCode.handler(awsHttpEvent({ ...call, headers: { 'x-scf-remote-addr': forged, 'x-forwarded-for': forged } }), { awsRequestId: 'r' } as Context),
  },
  {
    // An API Gateway event: the gateway's requestContext.sourceIp; every header is the client's own
    name: 'SCF API Gateway event',
    call: (call: ApiCall, forged: string) => {
      const event = scfUrlEvent(call);
      return sendCode.main_handler({ ...event, headers: { ...event.headers, 'x-scf-remote-addr': forged }, requestContext: { serviceId: 'service-f94sy04v', sourceIp: call.sourceIp ?? '' } }, {});
    },
  },
];

describe.each(shapes)('client address on $name', (shape) => {
  it.each(forgedAddresses)('keys the IP limit on the platform address despite %s', async (_name, forged) => {
    // Arrange: 20 sends from the real address, each with the forged header
    const ip = uniqueIp();
    const statuses = [];
    for (let i = 0; i < 20; i += 1) statuses.push((await shape.call(send(uniquePhone(), ip), forged)).statusCode);
    const phone = uniquePhone();

    // Act
    const twentyFirst = await shape.call(send(phone, ip), forged);

    // Assert: never a 500; the real address is stored and limited
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    expect(twentyFirst.statusCode).toBe(429);
    const stored = await select<{ request_ip: string }>('SELECT DISTINCT request_ip FROM otp_codes WHERE request_ip IN (?, ?)', [ip, forged.slice(0, 45)]);
    expect(stored).toEqual([{ request_ip: ip }]);
  });
});

describe('client address on an SCF Function URL event without requestContext', () => {
  it.each(forgedAddresses.slice(1))('answers %s in x-scf-remote-addr without a 500, as the unknown address', async (_name, garbled) => {
    // Arrange: the documented event shape, where the header is the only address
    const phone = uniquePhone();
    const event = scfUrlEvent(send(phone, '111.206.96.145'));

    // Act
    const response = await sendCode.main_handler({ ...event, headers: { ...event.headers, 'x-scf-remote-addr': garbled } }, {});

    // Assert
    expect(response.statusCode).not.toBe(500);
    expect(await select('SELECT request_ip FROM otp_codes WHERE phone = ?', [phone])).toEqual([{ request_ip: '0.0.0.0' }]);
  });
});
