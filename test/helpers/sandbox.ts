/** Reads the sandbox's control surface (SANDBOX_URL is set by the integration setup). */
function sandboxUrl(): string {
  const url = process.env.SANDBOX_URL;
  if (!url) throw new Error('SANDBOX_URL is not set; is this an integration test?');
  return url;
}

export async function latestSmsCode(phone: string): Promise<string> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/sms/latest?phone=${phone}`);
  if (!response.ok) throw new Error(`no SMS for ${phone}: ${response.status}`);
  const body = (await response.json()) as { code: string };
  return body.code;
}

/** Every SMS the sandbox delivered to `phone`, oldest first. */
export async function sentSms(phone: string): Promise<{ code: string; sentAt: string }[]> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/sms/sent?phone=${phone}`);
  if (!response.ok) throw new Error(`sandbox refused the SMS list for ${phone}: ${response.status}`);
  return ((await response.json()) as { sent: { code: string; sentAt: string }[] }).sent;
}

/** Sets sandbox faults; `baseUrl` for a test's own sandbox, else the file's (SANDBOX_URL). */
export async function setFaults(faults: Record<string, string>, baseUrl = sandboxUrl()): Promise<void> {
  const response = await fetch(`${baseUrl}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`faults refused: ${response.status}`);
}

let phoneCounter = 0;
/** A distinct, valid phone number per call, so tests never share rate-limit buckets. */
export function uniquePhone(): string {
  phoneCounter += 1;
  const suffix = String((Date.now() % 1_000_000) * 100 + (phoneCounter % 100)).padStart(8, '0').slice(-8);
  return `139${suffix}`;
}

let ipCounter = 0;
export function uniqueIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(Math.random() * 250)}.${(ipCounter % 250) + 1}`;
}
