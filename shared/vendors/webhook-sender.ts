import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * The HTTP side of client completion webhooks (docs/decisions/0012-client-webhooks.md): one POST to
 * a URL a user gave us, so a server-side request forgery guard sits in front of it when
 * `publicOnly` (production):
 * - only `https` URLs;
 * - the host is resolved once (every address, dns.lookup `all`), every address must be public
 *   (classifyAddress), and the connection goes to the checked address, so a second lookup that
 *   answers differently (DNS rebinding) is never made; TLS still verifies the certificate against the
 *   host name (SNI `servername`);
 * - no redirects are followed (a 3xx is an answer like any other non-2xx);
 * - a short timeout on the whole exchange; the answer's body is not read.
 * Locally (APP_ENV local/test) any http(s) URL is called, so tests can run a receiver on 127.0.0.1.
 */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** `statusCode`: the receiver's answer; `error`: why there was none (refused by the guard, DNS, connect, timeout). */
export interface WebhookResult {
  readonly ok: boolean;
  readonly statusCode?: number;
  readonly error?: string;
}

export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResult>;
}

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link-local'
  | 'metadata'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'unique-local'
  | 'ipv4-mapped'
  | 'translated'
  | 'invalid';

const ranges: readonly (readonly [AddressClass, string, number, 'ipv4' | 'ipv6'])[] = [
  // Cloud metadata services first: they sit inside ranges below, and the reason should name them.
  ['metadata', '169.254.169.254', 32, 'ipv4'],
  ['metadata', '169.254.0.23', 32, 'ipv4'], // Tencent Cloud
  ['metadata', '100.100.100.200', 32, 'ipv4'], // Alibaba Cloud
  ['metadata', 'fd00:ec2::254', 128, 'ipv6'], // AWS over IPv6
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['cgnat', '100.64.0.0', 10, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['documentation', '192.0.2.0', 24, 'ipv4'],
  ['reserved', '192.88.99.0', 24, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['documentation', '198.51.100.0', 24, 'ipv4'],
  ['documentation', '203.0.113.0', 24, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['ipv4-mapped', '::ffff:0:0', 96, 'ipv6'],
  ['translated', '64:ff9b::', 96, 'ipv6'],
  ['translated', '64:ff9b:1::', 48, 'ipv6'],
  ['reserved', '100::', 64, 'ipv6'],
  ['reserved', '2001::', 23, 'ipv6'], // IETF protocol assignments, Teredo among them
  ['documentation', '2001:db8::', 32, 'ipv6'],
  ['translated', '2002::', 16, 'ipv6'], // 6to4: embeds any IPv4 address
  ['unique-local', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['reserved', 'fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['multicast', 'ff00::', 8, 'ipv6'],
];

const lists = ranges.map(([kind, network, prefix, family]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { kind, list, family };
});
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/** What an IP address is, for the guard: only `public` addresses are called in production. */
export function classifyAddress(address: string): AddressClass {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const version = isIP(bare);
  if (version === 0) return 'invalid';
  const family = version === 4 ? 'ipv4' : 'ipv6';
  // Written in IPv6 form an IPv4 address is refused whatever it is: mapped (::ffff:a.b.c.d) and the
  // old compatible form (::a.b.c.d) both reach the IPv4 host on a dual-stack socket.
  if (family === 'ipv6' && /^[0:]*:(ffff:)?\d+\.\d+\.\d+\.\d+$/i.test(bare)) return 'ipv4-mapped';
  for (const entry of lists) if (entry.family === family && entry.list.check(bare, family)) return entry.kind;
  // IPv6 outside the global unicast block (2000::/3) is not assigned to anyone on the Internet.
  if (family === 'ipv6' && !globalUnicast.check(bare, 'ipv6')) return 'reserved';
  return 'public';
}

export interface WebhookSenderOptions {
  /** Production: https only, public addresses only (see above). */
  readonly publicOnly: boolean;
}

async function resolve(host: string, timeoutMs: number): Promise<string[]> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return [bare];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('DNS lookup timed out')), timeoutMs);
  });
  try {
    const answers = await Promise.race([lookup(bare, { all: true, verbatim: true }), timeout]);
    return answers.map((answer) => answer.address);
  } finally {
    clearTimeout(timer);
  }
}

function post(url: URL, address: string, request: WebhookRequest, remainingMs: number): Promise<WebhookResult> {
  return new Promise((done) => {
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    const bareHost = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const outgoing = send(
      {
        host: address,
        port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent: false,
        // The checked address is where we connect; the name is what the receiver and its certificate know.
        ...(secure && isIP(bareHost) === 0 ? { servername: bareHost } : {}),
        headers: { ...request.headers, host: url.host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(request.body)), 'user-agent': 'ai-photo-webhooks/1' },
        signal: AbortSignal.timeout(Math.max(1, remainingMs)),
      },
      (response: IncomingMessage) => {
        const statusCode = response.statusCode ?? 0;
        // The body is not ours to read; drop it and close.
        response.resume();
        response.on('error', () => undefined);
        done({ ok: statusCode >= 200 && statusCode < 300, statusCode });
      },
    );
    outgoing.on('error', (error) => done({ ok: false, error: error.name === 'AbortError' ? 'timed out' : error.message.slice(0, 200) }));
    outgoing.end(request.body);
  });
}

export function webhookSender(options: WebhookSenderOptions): WebhookSender {
  return {
    async send(request) {
      const started = Date.now();
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return { ok: false, error: 'refused: not a URL' };
      }
      if (url.protocol !== 'https:' && (options.publicOnly || url.protocol !== 'http:')) return { ok: false, error: 'refused: only https URLs are called' };
      let addresses: string[];
      try {
        addresses = await resolve(url.hostname, request.timeoutMs);
      } catch (error) {
        return { ok: false, error: `DNS: ${(error as Error).message}`.slice(0, 200) };
      }
      if (addresses.length === 0) return { ok: false, error: 'DNS: no address' };
      if (options.publicOnly) {
        const refused = addresses.map((address) => classifyAddress(address)).find((kind) => kind !== 'public');
        if (refused) return { ok: false, error: `refused: the host resolves to a non-public address (${refused})` };
      }
      return post(url, addresses[0] as string, request, request.timeoutMs - (Date.now() - started));
    },
  };
}
