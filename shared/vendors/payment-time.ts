/**
 * Both platforms speak Beijing time (UTC+8, no daylight saving): WeChat in RFC 3339 with the
 * offset, Alipay as a bare "yyyy-MM-dd HH:mm:ss".
 */
const beijingOffsetMs = 8 * 3600_000;

function beijingParts(date: Date): string[] {
  const shifted = new Date(date.getTime() + beijingOffsetMs).toISOString();
  // 2025-01-01T10:30:00.000Z → ["2025-01-01", "10:30:00"]
  return [shifted.slice(0, 10), shifted.slice(11, 19)];
}

/** `2025-01-01T10:30:00+08:00` (WeChat time_expire, success_time). */
export function toWechatTime(date: Date): string {
  const [day, time] = beijingParts(date);
  return `${day}T${time}+08:00`;
}

/** `2025-01-01 10:30:00` in Beijing time (Alipay timestamp, time_expire, gmt_payment). */
export function toAlipayTime(date: Date): string {
  const [day, time] = beijingParts(date);
  return `${day} ${time}`;
}

/** Parses Alipay's Beijing-time `yyyy-MM-dd HH:mm:ss`; undefined when malformed. */
export function fromAlipayTime(value: string): Date | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(value);
  if (!match) return undefined;
  const date = new Date(`${match[1]}T${match[2]}+08:00`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function unixSeconds(date: Date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}
