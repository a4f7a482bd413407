/**
 * Socket Mode, Slack's side. `apps.connections.open`, called with the app-level token (never the bot
 * token), hands out a one-time WebSocket URL; on that socket Slack says `hello`, then sends every
 * slash command, interaction and event as an envelope (`envelope_id`, `type`, `payload`,
 * `accepts_response_payload`, and `retry_attempt`/`retry_reason` on events) and waits up to 3 s for
 * the app to ack it with the same `envelope_id`, plus a response payload where the envelope accepts
 * one. With several connections open (replicas), envelopes are spread over them. Slack also asks a
 * connection to go (`disconnect`, reason `refresh_requested` or `warning`), or simply loses it.
 *
 * The same request bodies as HTTP mode travel here, unsigned: a socket needs no signature.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { BotReply, RawDelivery } from './types.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketModeOptions {
  /** the app-level token (`xapp-…`) that may open connections */
  readonly appToken: string;
  /** the app's id, as `connection_info` names it */
  readonly appId: string;
  /** how long Slack waits for an ack */
  readonly ackTimeoutMs: number;
  /** the emulator's root, e.g. `http://127.0.0.1:54321`; the socket URL is derived from it */
  readonly baseUrl: () => string;
}

/** What Slack puts on the wire for one envelope. */
export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export type ConnectionsOpenAnswer = { ok: true; url: string } | { ok: false; error: string };

const LINK_PATH = '/link/';

interface Waiting {
  readonly connection: WebSocket;
  readonly resolve: (reply: BotReply) => void;
}

export class SocketModeServer {
  /** Every envelope sent, oldest first, for assertions. */
  readonly envelopes: Envelope[] = [];

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly open: WebSocket[] = [];
  private readonly waiting = new Map<string, Waiting>();
  private readonly watchers = new Set<() => void>();
  private turn = 0;
  private reachable = true;

  constructor(private readonly options: SocketModeOptions) {}

  /** Takes over WebSocket upgrades on the emulator's server. */
  attach(server: http.Server): void {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
  }

  /** Connections that got their `hello` and are still open. */
  get connections(): number {
    return this.open.length;
  }

  /** False while Slack cannot be reached: `apps.connections.open` and new sockets fail at the network. */
  get isReachable(): boolean {
    return this.reachable;
  }

  /**
   * Makes Socket Mode unreachable (every open connection is lost, nothing new gets through) or
   * reachable again, as a firewall or an outage would.
   */
  setReachable(reachable: boolean): void {
    this.reachable = reachable;
    if (!reachable) this.drop();
  }

  /** `apps.connections.open`: only an app-level token opens a connection. */
  openConnection(token: string | undefined): ConnectionsOpenAnswer {
    if (!token) return { ok: false, error: 'not_authed' };
    if (/^xox[a-z]-/.test(token)) return { ok: false, error: 'not_allowed_token_type' };
    if (token !== this.options.appToken) return { ok: false, error: 'invalid_auth' };
    const ticket = randomUUID();
    this.tickets.add(ticket);
    const socketBase = this.options.baseUrl().replace(/^http/, 'ws');
    return { ok: true, url: `${socketBase}${LINK_PATH}?ticket=${ticket}&app_id=${this.options.appId}` };
  }

  /** Resolves once at least `count` connections are open (each has had its `hello`). */
  async waitForConnections(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.open.length >= count) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.watchers.delete(check);
        reject(new Error(`${this.open.length} Socket Mode connections open, waited for ${count}`));
      }, timeoutMs);
      const check = () => {
        if (this.open.length < count) return;
        clearTimeout(timer);
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
    });
  }

  /**
   * Sends what HTTP mode would POST as an envelope on one of the open connections (taking turns),
   * and waits for its ack. The ack's payload is the reply body, as an HTTP response body would be.
   */
  deliver(request: RawDelivery): Promise<BotReply> {
    const { type, payload } = envelopeOf(request);
    const accepts =
      type === 'slash_commands' ||
      (type === 'interactive' &&
        ['view_submission', 'block_suggestion'].includes(String((payload as { type?: unknown }).type)));
    return this.send({
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: accepts,
      ...(type === 'events_api'
        ? { retry_attempt: request.retryAttempt ?? 0, retry_reason: request.retryReason ?? '' }
        : request.retryAttempt
          ? { retry_attempt: request.retryAttempt, retry_reason: request.retryReason ?? '' }
          : {}),
    });
  }

  /**
   * Sends anything on a connection, as a Slack with a bug (or a forged peer) would; waits for an ack
   * when it carries a string `envelope_id`. For checking that the app survives bad input.
   */
  sendRaw(message: unknown): Promise<BotReply> {
    const connection = this.next();
    if (!connection) return Promise.resolve(notConnected());
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    const envelopeId = (message as { envelope_id?: unknown } | null)?.envelope_id;
    if (typeof envelopeId !== 'string') {
      connection.send(text);
      return Promise.resolve({ status: 200, body: undefined });
    }
    return this.await(connection, envelopeId, text);
  }

  /** Asks the open connections to go (`refresh_requested`: reconnect now; `warning`: about to be closed). */
  disconnect(reason: 'refresh_requested' | 'warning' = 'refresh_requested'): void {
    for (const connection of [...this.open])
      connection.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'emulator' } }));
  }

  /** Loses every open connection at once, without a close frame. */
  drop(): void {
    for (const connection of [...this.open]) {
      this.forget(connection);
      connection.terminate();
    }
  }

  close(): void {
    this.drop();
    this.wss.close();
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.reachable) {
      socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== LINK_PATH || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (connection) => this.welcome(connection));
  }

  private welcome(connection: WebSocket): void {
    this.open.push(connection);
    connection.on('message', (data: RawData) => this.receive(data));
    connection.on('close', () => this.forget(connection));
    connection.on('error', () => connection.terminate());
    connection.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.length,
        debug_info: { host: 'emulator', approximate_connection_time: 18060 },
        connection_info: { app_id: this.options.appId },
      }),
    );
    for (const watcher of [...this.watchers]) watcher();
  }

  private forget(connection: WebSocket): void {
    const index = this.open.indexOf(connection);
    if (index >= 0) this.open.splice(index, 1);
    for (const [id, waiting] of this.waiting) {
      if (waiting.connection !== connection) continue;
      this.waiting.delete(id);
      waiting.resolve({ status: 0, body: undefined, error: 'the connection closed before the ack' });
    }
  }

  /** An ack: `{ envelope_id, payload? }`. Anything else from the app is ignored, as Slack does. */
  private receive(data: RawData): void {
    let message: unknown;
    try {
      message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    } catch {
      return;
    }
    const { envelope_id: id, payload } = (message ?? {}) as { envelope_id?: unknown; payload?: unknown };
    const waiting = typeof id === 'string' ? this.waiting.get(id) : undefined;
    if (!waiting || typeof id !== 'string') return;
    this.waiting.delete(id);
    const empty =
      payload === undefined ||
      (typeof payload === 'object' && payload !== null && Object.keys(payload).length === 0);
    waiting.resolve({ status: 200, body: empty ? undefined : payload });
  }

  private send(envelope: Envelope): Promise<BotReply> {
    const connection = this.next();
    if (!connection) return Promise.resolve(notConnected());
    this.envelopes.push(envelope);
    const reply = this.await(connection, envelope.envelope_id, JSON.stringify(envelope));
    // Slack keeps a response payload only where the envelope accepts one.
    return envelope.accepts_response_payload ? reply : reply.then((r) => ({ ...r, body: undefined }));
  }

  private await(connection: WebSocket, envelopeId: string, text: string): Promise<BotReply> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelopeId);
        resolve({ status: 0, body: undefined, timedOut: true });
      }, this.options.ackTimeoutMs);
      this.waiting.set(envelopeId, {
        connection,
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
      });
      connection.send(text);
    });
  }

  /** The connections take turns, as Slack spreads envelopes over an app's connections. */
  private next(): WebSocket | undefined {
    if (this.open.length === 0) return undefined;
    this.turn = (this.turn + 1) % this.open.length;
    return this.open[this.turn];
  }
}

const notConnected = (): BotReply => ({
  status: 0,
  body: undefined,
  error: 'no Socket Mode connection is open',
});

/** The envelope for what HTTP mode would POST: an event, an interaction or a slash command. */
function envelopeOf(request: RawDelivery): { type: EnvelopeType; payload: unknown } {
  if (request.contentType === 'application/json')
    return { type: 'events_api', payload: JSON.parse(request.body) as unknown };
  const form = new URLSearchParams(request.body);
  const interaction = form.get('payload');
  if (interaction !== null) return { type: 'interactive', payload: JSON.parse(interaction) as unknown };
  return { type: 'slash_commands', payload: Object.fromEntries(form) };
}
