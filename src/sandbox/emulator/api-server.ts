/**
 * The HTTP side of the emulator: the Web API under `/api/<method>` (bot token checked, form or
 * JSON arguments, rate limits and injected failures) and the response_url endpoint. Every
 * request is recorded, so tests can read what the app asked and what Slack answered.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fail, isObject, type ApiResult } from './args.js';
import { answerFileRequest } from './files.js';
import type { RateLimits } from './rate-limits.js';
import type { SocketModeServer } from './socket-mode.js';
import { answerResponseUrl } from './replies.js';
import type { EmulatorEvent, InjectedFailure, RecordedCall } from './types.js';
import { JSON_ARGUMENTS, METHODS } from './web-api.js';
import type { Workspace } from './workspace.js';

type Json = Record<string, unknown>;

const FORM = 'application/x-www-form-urlencoded';

export class ApiServer {
  /** Every Web API request and response_url post, in order. */
  readonly calls: RecordedCall[] = [];

  private readonly server: http.Server;
  private readonly failures: { method: string; failure: InjectedFailure; left: number }[] = [];
  private base = '';
  private sockets: SocketModeServer | undefined;

  constructor(
    private readonly ws: Workspace,
    private readonly limits: RateLimits,
    private readonly emit: (event: EmulatorEvent) => void,
  ) {
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error', detail: String(err) });
      });
    });
  }

  /** Listens, and resolves with the server's root, e.g. `http://127.0.0.1:54321`. */
  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.base = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    return this.base;
  }

  /** Stops the server, dropping open connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  /** Serves Slack's side of Socket Mode on this server: apps.connections.open and the sockets. */
  useSocketMode(sockets: SocketModeServer): void {
    this.sockets = sockets;
    sockets.attach(this.server);
  }

  /** The URL the app posts to for a response_url grant. */
  responseUrl(id: string): string {
    return `${this.base}/response/${id}`;
  }

  /** Makes the next `times` calls to a method fail as told (see SlackEmulator.failNext). */
  failNext(method: string, failure: InjectedFailure, times: number): void {
    this.failures.push({ method, failure, left: times });
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base || 'http://localhost');
    // File uploads carry raw bytes: answered before the body is read as text.
    if (url.pathname.startsWith('/files/') && (await answerFileRequest(this.ws, req, res, url.pathname)))
      return;
    // Socket Mode behind a firewall or in an outage: the request never gets an answer.
    if (url.pathname === '/api/apps.connections.open' && this.sockets?.isReachable === false) {
      req.socket.destroy();
      return;
    }
    const raw = await readBody(req);
    if (url.pathname.startsWith('/api/')) {
      this.answerApi(decodeURIComponent(url.pathname.slice('/api/'.length)), req, url, raw, res);
      return;
    }
    const grant = /^\/response\/([0-9a-f]+)$/.exec(url.pathname)?.[1];
    if (grant && req.method === 'POST') {
      const { status, body, args } = answerResponseUrl(this.ws, grant, raw);
      this.record('response_url', args, undefined, status, body);
      sendJson(res, status, body);
      return;
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  private answerApi(
    method: string,
    req: http.IncomingMessage,
    url: URL,
    raw: string,
    res: http.ServerResponse,
  ): void {
    const parsed = parseArgs(req, url, raw);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const { token: bodyToken, ...args } = parsed.args;
    const token = bearer ?? (typeof bodyToken === 'string' ? bodyToken : undefined);
    let status = 200;
    let retryAfter: number | undefined;
    let body: ApiResult;
    const handler = METHODS[method];
    if (parsed.error) body = fail(parsed.error);
    else if (method === 'apps.connections.open' && this.sockets) body = this.sockets.openConnection(token);
    else if (!handler) body = fail('unknown_method');
    else if (!token) body = fail('not_authed');
    else if (token !== this.ws.identity.botToken) body = fail('invalid_auth');
    else {
      const injected = this.takeFailure(method, args);
      retryAfter =
        injected && 'status' in injected
          ? injected.retryAfter
          : injected
            ? undefined
            : this.limits.take(method, args);
      if (retryAfter !== undefined) {
        status = 429;
        body = fail('ratelimited');
      } else if (injected && 'error' in injected) {
        body = fail(injected.error);
      } else {
        try {
          body = handler(this.ws, args);
        } catch (err) {
          body = fail('fatal_error', { response_metadata: { messages: [String(err)] } });
        }
      }
    }
    this.record(method, args, token, status, body);
    sendJson(res, status, body, retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {});
  }

  private record(method: string, args: Json, token: string | undefined, status: number, response: ApiResult) {
    const call: RecordedCall = {
      seq: this.calls.length + 1,
      method,
      args,
      ...(token ? { token } : {}),
      at: this.ws.now(),
      status,
      // A snapshot: the live views and blocks change after the call.
      response: structuredClone(response),
    };
    this.calls.push(call);
    this.emit({ type: 'api_call', call });
  }

  private takeFailure(method: string, args: Json): InjectedFailure | undefined {
    const channel = typeof args.channel === 'string' ? args.channel : undefined;
    const dm = (id: string) => this.ws.channels().find((c) => c.isIm && c.user === id)?.id;
    const index = this.failures.findIndex(
      (f) =>
        f.method === method &&
        (f.failure.channel === undefined ||
          (channel !== undefined && [channel, dm(channel)].includes(f.failure.channel))),
    );
    const entry = this.failures[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.failures.splice(index, 1);
    return entry.failure;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Arguments from the query string and a JSON or form body; JSON-valued form fields decoded. */
function parseArgs(req: http.IncomingMessage, url: URL, raw: string): { args: Json; error?: string } {
  const args: Json = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (raw !== '') {
    if (type === 'application/json') {
      try {
        const body: unknown = JSON.parse(raw);
        if (!isObject(body)) return { args, error: 'invalid_json' };
        Object.assign(args, body);
      } catch {
        return { args, error: 'invalid_json' };
      }
    } else if (type === FORM || type === '' || type === 'text/plain') {
      Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
    } else {
      return { args, error: 'invalid_post_type' };
    }
  }
  for (const key of JSON_ARGUMENTS) {
    const value = args[key];
    if (typeof value !== 'string' || value === '') continue;
    try {
      args[key] = JSON.parse(value) as unknown;
    } catch {
      // Left as a string: the method answers with its own "invalid format" error.
    }
  }
  return { args };
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
