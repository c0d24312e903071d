import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of MariaDB/MySQL that can make a statement's outcome ambiguous: the
 * statement reaches the server and runs (a COMMIT really commits), but its answer is thrown away
 * and the client's socket is cut, so the client sees ECONNRESET / PROTOCOL_CONNECTION_LOST.
 *
 *   // before anything calls config() or db(): both are read once per process
 *   const proxy = await startAmbiguousCommitProxy({ target: process.env.DATABASE_URL });
 *   process.env.DATABASE_URL = proxy.databaseUrl(process.env.DATABASE_URL ?? '');
 *   const dropped = proxy.dropResponseTo(commitAfter(/INSERT INTO quota_ledger[\s\S]*'hold'/));
 *   ... call the API ...
 *   expect((await dropped).sql).toBe('COMMIT');
 *
 * Every byte is forwarded unchanged in both directions, handshake and authentication included.
 * The proxy only reads along: it splits the client's stream into MySQL packets (3-byte
 * little-endian length, 1-byte sequence id, payload; 0xFFFFFF-long packets are joined with their
 * continuation), sees when authentication ends (the server's first OK packet after its greeting),
 * and from then on takes a client packet with sequence id 0 and first byte 0x03 as COM_QUERY.
 *
 * Limitations:
 * - Only COM_QUERY (mysql2's `query()`, which the app uses) can be matched; prepared statements
 *   (COM_STMT_*) pass through unseen.
 * - TLS and the compressed protocol make the stream opaque: such connections are only forwarded.
 * - The answer tracked while dropping may be an OK or ERR packet, or a text-protocol result set
 *   (several ones with SERVER_MORE_RESULTS_EXISTS). A LOAD DATA LOCAL INFILE request ends the drop
 *   at once, before the server ran anything.
 * - Clients must not pipeline commands (mysql2 does not): the first server bytes after a matching
 *   query are taken as its answer.
 * - A connection's history keeps its last 1,000 queries.
 * - COM_QUERY with query attributes is decoded only without attribute values (mysql2 sends none
 *   unless asked; MariaDB never negotiates them).
 */

/** Decides whether a query's answer is dropped. `history`: the connection's earlier queries since its last START TRANSACTION/BEGIN (included) or since it connected. */
export type QueryMatcher = (sql: string, history: readonly string[]) => boolean;

/** How the client's socket is cut: 'reset' sends a TCP RST (mysql2: ECONNRESET), 'end' a FIN (mysql2: PROTOCOL_CONNECTION_LOST). */
export type Disconnect = 'reset' | 'end';

export interface DropOptions {
  /** How many matching queries have their answer dropped before this drop disarms itself. Default 1; Infinity keeps it armed until disarm(). */
  times?: number;
  /** Default 'reset'. */
  disconnect?: Disconnect;
}

/**
 * What the server had answered to the dropped query; for several statements in one query, its last
 * result. 'server-closed': the server (or close()) hung up before the answer was complete, so the
 * outcome is unknown. 'local-infile-request': the server asked for a file and ran nothing yet.
 */
export type DroppedAnswer = 'ok' | 'error' | 'result-set' | 'local-infile-request' | 'server-closed';

export interface DroppedResponse {
  /** The query whose answer was dropped. */
  sql: string;
  /** Its connection's history when it matched (see QueryMatcher). */
  history: readonly string[];
  /** The proxy's number for the client connection, from 1 in order of arrival. */
  connection: number;
  answer: DroppedAnswer;
}

export interface AmbiguousCommitProxyOptions {
  /** The server to forward to: a mysql:// URL (host and port are used; port defaults to 3306) or a host and port. Default 127.0.0.1:3306. */
  target?: string | { host: string; port: number };
}

export interface AmbiguousCommitProxy {
  /** The port the proxy listens on, on 127.0.0.1. */
  readonly port: number;
  /** Client connections accepted so far. */
  readonly connectionCount: number;
  /** Client connections still open. */
  readonly openConnections: number;
  /** Every drop so far, in order. */
  readonly drops: readonly DroppedResponse[];
  /** `url` with host and port replaced by the proxy's; user, password, database and options kept. */
  databaseUrl(url: string): string;
  /**
   * Arms a drop: the next COM_QUERY (on any connection) for which `match` is true is forwarded,
   * its full answer awaited and discarded, then the client's socket is cut and the server's
   * closed. Resolves with the first drop made. Drops armed earlier are tried first. If `match`
   * throws, the drop is disarmed, the promise rejects and the query passes through.
   */
  dropResponseTo(match: QueryMatcher, options?: DropOptions): Promise<DroppedResponse>;
  /** Disarms every armed drop; their promises stay pending. A drop already under way completes. */
  disarm(): void;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

const leadingComments = String.raw`^\s*(?:\/\*[\s\S]*?\*\/\s*)*`;
const transactionStart = new RegExp(`${leadingComments}(?:START\\s+TRANSACTION|BEGIN(?!\\s+NOT\\s+ATOMIC)(?:\\s+WORK)?)\\b`, 'i');
const commit = new RegExp(`${leadingComments}COMMIT(?:\\s+WORK)?\\s*;?\\s*$`, 'i');

/** True for `COMMIT` (any case, optional WORK, leading comments and trailing semicolon allowed). */
export function isCommit(sql: string): boolean {
  return commit.test(sql);
}

/** Matches the COMMIT of a transaction in which some earlier statement matched `statement`. */
export function commitAfter(statement: RegExp | string): QueryMatcher {
  const found = (sql: string) => (typeof statement === 'string' ? sql.includes(statement) : sql.search(statement) !== -1);
  return (sql, history) => isCommit(sql) && history.some(found);
}

const HISTORY_LIMIT = 1_000;
const MAX_PACKET_PAYLOAD = 0xffffff;

// Capability flags (client and server handshake) and status flags used here.
const CLIENT_COMPRESS = 0x20;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_DEPRECATE_EOF = 0x01000000;
const CLIENT_QUERY_ATTRIBUTES = 0x08000000;
const SERVER_MORE_RESULTS_EXISTS = 0x0008;

const COM_QUERY = 0x03;
const COM_CHANGE_USER = 0x11;
const COM_RESET_CONNECTION = 0x1f;

interface Message {
  /** Sequence id of the message's first packet. */
  seq: number;
  /** The payload, continuation packets joined. */
  payload: Buffer;
  /** Offset just past the message's last byte in the chunk that completed it. */
  end: number;
}

/** Splits a byte stream into MySQL messages, across and within TCP chunks. */
class PacketReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private parts: Buffer[] = [];
  private firstSeq = 0;

  push(chunk: Buffer): Message[] {
    const chunkStart = this.buffered;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Message[] = [];
    let consumed = 0;
    while (this.buffered >= 4) {
      const header = this.peek(4);
      const length = header.readUIntLE(0, 3);
      if (this.buffered < 4 + length) break;
      const packet = this.take(4 + length);
      consumed += 4 + length;
      if (this.parts.length === 0) this.firstSeq = header[3] ?? 0;
      this.parts.push(packet.subarray(4));
      if (length === MAX_PACKET_PAYLOAD) continue;
      const payload = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
      this.parts = [];
      messages.push({ seq: this.firstSeq, payload, end: consumed - chunkStart });
    }
    return messages;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    return first.length >= n ? first.subarray(0, n) : Buffer.concat(this.chunks).subarray(0, n);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= n) {
      this.chunks[0] = first.subarray(n);
      if (first.length === n) this.chunks.shift();
      this.buffered -= n;
      return first.subarray(0, n);
    }
    const joined = Buffer.concat(this.chunks);
    const rest = joined.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return joined.subarray(0, n);
  }
}

/** A length-encoded integer at `offset`: its value and the offset after it (undefined if cut short or NULL). */
function lengthEncoded(buffer: Buffer, offset: number): { value: number; next: number } | undefined {
  const first = buffer[offset];
  if (first === undefined || first === 0xfb || first === 0xff) return undefined;
  if (first < 0xfb) return { value: first, next: offset + 1 };
  const size = first === 0xfc ? 2 : first === 0xfd ? 3 : 8;
  if (buffer.length < offset + 1 + size) return undefined;
  const value = size === 8 ? Number(buffer.readBigUInt64LE(offset + 1)) : buffer.readUIntLE(offset + 1, size);
  return { value, next: offset + 1 + size };
}

/** Status flags of an OK packet (header 0x00, or 0xFE when it ends a result set under DEPRECATE_EOF). */
function okStatus(payload: Buffer): number {
  const affected = lengthEncoded(payload, 1);
  const insertId = affected && lengthEncoded(payload, affected.next);
  if (!insertId || payload.length < insertId.next + 2) return 0;
  return payload.readUInt16LE(insertId.next);
}

/** Follows the server's answer to one COM_QUERY, message by message, until it is complete. */
class QueryAnswer {
  private state: 'first' | 'columns' | 'columns-eof' | 'rows' = 'first';
  private columnsLeft = 0;

  constructor(private readonly deprecateEof: boolean) {}

  /** The answer's kind once this message completed it, else undefined. */
  next(payload: Buffer): DroppedAnswer | undefined {
    const head = payload[0];
    const isEofOrTerminalOk = head === 0xfe && payload.length < MAX_PACKET_PAYLOAD;
    switch (this.state) {
      case 'first': {
        if (head === 0x00) return okStatus(payload) & SERVER_MORE_RESULTS_EXISTS ? undefined : 'ok';
        if (head === 0xff) return 'error';
        if (head === 0xfb) return 'local-infile-request';
        this.columnsLeft = lengthEncoded(payload, 0)?.value ?? 0;
        this.state = 'columns';
        return undefined;
      }
      case 'columns': {
        if (head === 0xff) return 'error';
        this.columnsLeft -= 1;
        if (this.columnsLeft <= 0) this.state = this.deprecateEof ? 'rows' : 'columns-eof';
        return undefined;
      }
      case 'columns-eof': {
        if (head === 0xff) return 'error';
        this.state = 'rows';
        return undefined;
      }
      case 'rows': {
        if (head === 0xff) return 'error';
        if (!isEofOrTerminalOk) return undefined;
        // EOF: 0xFE, warnings (2), status (2). Under DEPRECATE_EOF an OK packet with header 0xFE.
        const status = this.deprecateEof ? okStatus(payload) : payload.length >= 5 ? payload.readUInt16LE(3) : 0;
        if (status & SERVER_MORE_RESULTS_EXISTS) {
          this.state = 'first';
          return undefined;
        }
        return 'result-set';
      }
    }
  }
}

interface ArmedDrop {
  match: QueryMatcher;
  timesLeft: number;
  disconnect: Disconnect;
  settled: boolean;
  resolve: (dropped: DroppedResponse) => void;
  reject: (error: unknown) => void;
}

interface DropUnderWay {
  armed: ArmedDrop;
  sql: string;
  history: readonly string[];
  answer: QueryAnswer;
  done: boolean;
}

/** Server capabilities from the v10 greeting: lower two bytes, plus the upper two when present. */
function greetingCapabilities(payload: Buffer): number {
  const versionEnd = payload.indexOf(0, 1);
  if (payload[0] !== 0x0a || versionEnd < 0) return 0;
  const lowerAt = versionEnd + 1 + 4 + 8 + 1;
  if (payload.length < lowerAt + 2) return 0;
  const lower = payload.readUInt16LE(lowerAt);
  const upperAt = lowerAt + 2 + 1 + 2;
  const upper = payload.length >= upperAt + 2 ? payload.readUInt16LE(upperAt) : 0;
  return (lower | (upper << 16)) >>> 0;
}

class ProxiedConnection {
  private phase: 'greeting' | 'handshake-response' | 'auth' | 'command' | 'opaque' = 'greeting';
  private serverCapabilities = 0;
  private capabilities = 0;
  private history: string[] = [];
  private readonly clientReader = new PacketReader();
  private readonly serverReader = new PacketReader();
  private dropping: DropUnderWay | undefined;

  constructor(
    readonly id: number,
    private readonly client: Socket,
    private readonly server: Socket,
    private readonly armedDrops: () => ArmedDrop[],
    private readonly onDrop: (dropped: DroppedResponse) => void,
  ) {
    client.setNoDelay(true);
    server.setNoDelay(true);
    client.on('data', (chunk: Buffer) => this.fromClient(chunk));
    server.on('data', (chunk: Buffer) => this.fromServer(chunk));
    // While a drop is under way the server side stays open until the answer is in, whatever the client does.
    client.on('error', () => {
      if (!this.dropping) server.destroy();
    });
    client.on('close', () => {
      if (!this.dropping) server.end();
    });
    server.on('error', () => this.serverGone(() => client.destroy()));
    server.on('close', () => this.serverGone(() => client.end()));
  }

  private serverGone(passOn: () => void): void {
    if (this.dropping) this.finishDrop('server-closed');
    else passOn();
  }

  private fromClient(chunk: Buffer): void {
    if (this.dropping) return;
    if (this.phase === 'opaque') return forward(this.client, this.server, chunk);
    for (const message of this.clientReader.push(chunk)) {
      if (this.clientMessage(message)) {
        // Forward the matching query itself, nothing after it.
        forward(this.client, this.server, chunk.subarray(0, message.end));
        return;
      }
      if (this.opaque()) break;
    }
    forward(this.client, this.server, chunk);
  }

  private fromServer(chunk: Buffer): void {
    if (this.dropping) {
      for (const message of this.serverReader.push(chunk)) {
        const answer = this.dropping.answer.next(message.payload);
        if (answer) return this.finishDrop(answer);
      }
      return;
    }
    if (this.phase !== 'opaque') {
      for (const message of this.serverReader.push(chunk)) {
        this.serverMessage(message);
        if (this.opaque()) break;
      }
    }
    forward(this.server, this.client, chunk);
  }

  /** Reads a client message; true when it starts a drop. */
  private clientMessage({ seq, payload }: Message): boolean {
    if (this.phase === 'handshake-response') {
      // CLIENT_PROTOCOL_41 responses start with 4 bytes of capabilities, older ones with 2.
      this.capabilities = payload.length >= 4 ? payload.readUInt32LE(0) : payload.length >= 2 ? payload.readUInt16LE(0) : 0;
      // An SSLRequest (32 bytes) is followed by TLS: nothing more can be read.
      const tls = (this.capabilities & CLIENT_SSL) !== 0 && payload.length === 32;
      this.phase = tls ? 'opaque' : 'auth';
      return false;
    }
    if (this.phase !== 'command' || seq !== 0) return false;
    const command = payload[0];
    if (command === COM_CHANGE_USER) {
      this.phase = 'auth';
      this.history = [];
      return false;
    }
    if (command === COM_RESET_CONNECTION) this.history = [];
    if (command !== COM_QUERY) return false;
    const sql = this.queryText(payload);
    const history = Object.freeze([...this.history]);
    if (transactionStart.test(sql)) this.history = [];
    this.history.push(sql);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    const armed = this.matchingDrop(sql, history);
    if (!armed) return false;
    this.dropping = { armed, sql, history, answer: new QueryAnswer(this.negotiated(CLIENT_DEPRECATE_EOF)), done: false };
    return true;
  }

  private serverMessage({ payload }: Message): void {
    if (this.phase === 'greeting') {
      this.serverCapabilities = greetingCapabilities(payload);
      this.phase = 'handshake-response';
      return;
    }
    if (this.phase !== 'auth') return;
    // 0x01 (more auth data) and 0xFE (auth switch) keep authenticating; OK ends it, so does ERR
    // (the server then hangs up, or after a failed COM_CHANGE_USER keeps the session).
    if (payload[0] === 0x00) this.phase = this.negotiated(CLIENT_COMPRESS) ? 'opaque' : 'command';
    else if (payload[0] === 0xff) this.phase = 'command';
  }

  /** TLS or compression: the rest of the stream cannot be read (a method, so that narrowing does not stick across calls). */
  private opaque(): boolean {
    return this.phase === 'opaque';
  }

  private negotiated(flag: number): boolean {
    return (this.capabilities & this.serverCapabilities & flag) !== 0;
  }

  private queryText(payload: Buffer): string {
    let offset = 1;
    if (this.negotiated(CLIENT_QUERY_ATTRIBUTES) && this.negotiated(CLIENT_PROTOCOL_41)) {
      const count = lengthEncoded(payload, offset);
      const sets = count && lengthEncoded(payload, count.next);
      if (count?.value === 0 && sets) offset = sets.next;
    }
    return payload.toString('utf8', offset);
  }

  private matchingDrop(sql: string, history: readonly string[]): ArmedDrop | undefined {
    const drops = this.armedDrops();
    for (const [index, armed] of drops.entries()) {
      let matched: boolean;
      try {
        matched = armed.match(sql, history);
      } catch (error) {
        drops.splice(index, 1);
        armed.settled = true;
        armed.reject(error);
        return undefined;
      }
      if (!matched) continue;
      armed.timesLeft -= 1;
      if (armed.timesLeft <= 0) drops.splice(index, 1);
      return armed;
    }
    return undefined;
  }

  private finishDrop(answer: DroppedAnswer): void {
    const dropping = this.dropping;
    if (!dropping || dropping.done) return;
    dropping.done = true;
    if (!this.client.destroyed) {
      if (dropping.armed.disconnect === 'reset') this.client.resetAndDestroy();
      else this.client.destroy();
    }
    this.server.destroy();
    const dropped: DroppedResponse = { sql: dropping.sql, history: dropping.history, connection: this.id, answer };
    this.onDrop(dropped);
    if (!dropping.armed.settled) {
      dropping.armed.settled = true;
      dropping.armed.resolve(dropped);
    }
  }

  destroy(): void {
    this.client.destroy();
    this.server.destroy();
  }
}

function forward(from: Socket, to: Socket, data: Buffer): void {
  if (data.length === 0 || to.destroyed) return;
  if (!to.write(data)) {
    from.pause();
    to.once('drain', () => from.resume());
  }
}

function targetOf(target: AmbiguousCommitProxyOptions['target']): { host: string; port: number } {
  if (target === undefined) return { host: '127.0.0.1', port: 3306 };
  if (typeof target !== 'string') return target;
  const url = new URL(target);
  return { host: url.hostname || '127.0.0.1', port: url.port ? Number(url.port) : 3306 };
}

/** Starts a proxy on a free port of 127.0.0.1 in front of `options.target`. */
export async function startAmbiguousCommitProxy(options: AmbiguousCommitProxyOptions = {}): Promise<AmbiguousCommitProxy> {
  const target = targetOf(options.target);
  const connections = new Set<ProxiedConnection>();
  let armedDrops: ArmedDrop[] = [];
  const drops: DroppedResponse[] = [];
  let connectionCount = 0;

  const listener: Server = createServer((client) => {
    connectionCount += 1;
    const server = connect(target);
    const connection = new ProxiedConnection(
      connectionCount,
      client,
      server,
      () => armedDrops,
      (dropped) => drops.push(dropped),
    );
    connections.add(connection);
    client.once('close', () => connections.delete(connection));
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const { port } = listener.address() as AddressInfo;

  return {
    port,
    get connectionCount() {
      return connectionCount;
    },
    get openConnections() {
      return connections.size;
    },
    drops,
    databaseUrl(url: string): string {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    dropResponseTo(match: QueryMatcher, dropOptions: DropOptions = {}): Promise<DroppedResponse> {
      return new Promise<DroppedResponse>((resolve, reject) => {
        armedDrops.push({ match, timesLeft: dropOptions.times ?? 1, disconnect: dropOptions.disconnect ?? 'reset', settled: false, resolve, reject });
      });
    },
    disarm(): void {
      armedDrops = [];
    },
    async close(): Promise<void> {
      armedDrops = [];
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const connection of connections) connection.destroy();
      await closed;
    },
  };
}
