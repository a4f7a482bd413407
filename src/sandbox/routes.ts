// The sandbox page's HTTP side, mounted on the bot's own server: the static page, a JSON snapshot of
// the emulated workspace, a Server-Sent Events stream that says when it changed, and one POST per
// thing a person does in Slack (each turned into the emulator's signed request to the bot).
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import type { EmulatedUser, EmulatorEvent, SlackEmulator, ViewInput } from './slack-emulator.js';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The part of an express Router (the Slack app's HTTP server) the page needs. */
export interface RouterLike {
  get(path: string, handler: NodeHandler): unknown;
  post(path: string, handler: NodeHandler): unknown;
}

/** What the page shows about time: the sandbox clock in the team's zone. */
export interface ClockState {
  readonly now: string;
  readonly timeZone: string;
  readonly reminderTime: string;
  /** the moment the clock control moves to */
  readonly nextReminder: string;
}

export interface SandboxRoutesDeps {
  readonly emulator: SlackEmulator;
  readonly command: string;
  readonly logger: Logger;
  clockState(): Promise<ClockState>;
  /** Moves the clock to the next business day's reminder time and runs the scheduled jobs there. */
  advanceClock(): Promise<ClockState>;
}

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const HEARTBEAT_MS = 15_000;

type Json = Record<string, unknown>;

export class SandboxRoutes {
  private readonly streams = new Set<ServerResponse>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private version = 0;
  private closed = false;

  constructor(private readonly deps: SandboxRoutesDeps) {
    this.unsubscribe = deps.emulator.onEvent((event) => this.changed(event));
    this.heartbeat = setInterval(() => this.broadcast(': heartbeat\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Serves the page at `/` and its API under `/sandbox/`. */
  mount(router: RouterLike): void {
    const handler: NodeHandler = (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.deps.logger.error({ err: error, url: req.url }, 'sandbox request failed');
        if (!res.headersSent) sendJson(res, 500, { error: (error as Error).message });
        else res.end();
      });
    };
    router.get('/', handler);
    router.get('/sandbox/*path', handler);
    router.post('/sandbox/*path', handler);
  }

  /** Tells every open page that something changed (the clock, say, which the emulator doesn't see). */
  notify(type: string): void {
    this.version += 1;
    this.broadcast(`event: change\ndata: ${JSON.stringify({ type, version: this.version })}\n\n`);
  }

  /** Ends the event streams: an HTTP server waits for open responses before it closes. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    clearInterval(this.heartbeat);
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  private changed(event: EmulatorEvent): void {
    // Web API calls and deliveries change nothing the page shows; what they cause arrives as its own event.
    if (event.type === 'api_call' || event.type === 'delivered') return;
    this.notify(event.type);
  }

  private broadcast(chunk: string): void {
    for (const res of this.streams) res.write(chunk);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET') {
      if (pathname === '/') return this.serveFile(res, 'index.html');
      if (pathname === '/sandbox/api/state') return sendJson(res, 200, await this.snapshot());
      if (pathname === '/sandbox/api/events') return this.openStream(req, res);
      const shared = /^\/sandbox\/files\/(F\w+)$/.exec(pathname)?.[1];
      if (shared) return this.serveSharedFile(res, shared);
      const file = /^\/sandbox\/page\/([\w-]+\.(?:html|css|js|svg))$/.exec(pathname)?.[1];
      if (file) return this.serveFile(res, file);
      return sendJson(res, 404, { error: 'not found' });
    }
    const action = /^\/sandbox\/api\/([a-z-]+)$/.exec(pathname)?.[1];
    try {
      const body = await readJson(req);
      switch (action) {
        case 'command':
          return sendJson(res, 200, await this.runCommand(body));
        case 'click':
          return sendJson(res, 200, await this.click(body));
        case 'submit':
          return sendJson(res, 200, await this.submit(body));
        case 'close':
          return sendJson(res, 200, {
            reply: await this.deps.emulator.closeView(person(body), text(body, 'viewId')),
          });
        case 'home':
          return sendJson(res, 200, { reply: await this.deps.emulator.openHome(person(body)) });
        case 'advance-clock': {
          const clock = await this.deps.advanceClock();
          this.notify('clock');
          return sendJson(res, 200, { clock });
        }
        default:
          return sendJson(res, 404, { error: 'not found' });
      }
    } catch (error) {
      // The emulator throws when a person could not have done that in Slack (a button that went
      // away, a modal already closed): the page shows the sentence; nothing is wrong with the bot.
      if (!(error instanceof Error)) throw error;
      this.deps.logger.warn({ err: error, action }, 'sandbox action refused');
      return sendJson(res, 400, { error: error.message });
    }
  }

  private async serveFile(res: ServerResponse, name: string): Promise<void> {
    let content: Buffer;
    try {
      content = await readFile(PAGE_DIR + name);
    } catch {
      return sendJson(res, 404, { error: `no page file ${name}` });
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
      // The page is edited in place while the sandbox runs: always fetch the current file.
      'cache-control': 'no-cache',
    });
    res.end(content);
  }

  /** A file Steward shared, for the page to show or download (Slack's url_private needs the bot token). */
  private serveSharedFile(res: ServerResponse, id: string): void {
    const file = this.deps.emulator.fileContent(id);
    if (!file) return sendJson(res, 404, { error: `no file ${id}` });
    res.writeHead(200, {
      'content-type': file.mimetype,
      'content-disposition': `inline; filename="${file.name.replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'no-store',
    });
    res.end(file.bytes);
  }

  private openStream(req: IncomingMessage, res: ServerResponse): void {
    // A page reconnecting while the server shuts down must not hold it open again.
    if (this.closed) return sendJson(res, 503, { error: 'the sandbox is stopping' });
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(
      `retry: 1000\nevent: change\ndata: ${JSON.stringify({ type: 'hello', version: this.version })}\n\n`,
    );
    this.streams.add(res);
    req.on('close', () => this.streams.delete(res));
  }

  /** Everything the page draws, in one piece: small enough to refetch on every change. */
  private async snapshot(): Promise<Json> {
    const { emulator } = this.deps;
    const people = emulator.users().filter((u) => !u.isBot && !u.deleted);
    const conversations = emulator.channels();
    const messages: Record<string, unknown[]> = {};
    const dms: Record<string, string> = {};
    for (const channel of conversations) {
      if (channel.isIm && channel.user) dms[channel.user] = channel.id;
      messages[channel.id] = emulator.messages(channel.id).filter((m) => !m.deleted);
    }
    const views: Record<string, unknown> = {};
    const homes: Record<string, unknown> = {};
    for (const p of people) {
      views[p.id] = emulator.openViews(p.id).at(-1) ?? null;
      homes[p.id] = emulator.homeView(p.id) ?? null;
    }
    const { identity } = emulator;
    return {
      version: this.version,
      workspace: {
        teamId: identity.teamId,
        name: identity.teamName,
        botUserId: identity.botUserId,
        botName: identity.botName,
        command: this.deps.command,
      },
      clock: await this.deps.clockState(),
      people,
      channels: conversations
        .filter((c) => !c.isIm && !c.isArchived)
        .map(({ id, name, isPrivate, purpose, topic, isExtShared }) => ({
          id,
          name,
          isPrivate,
          purpose,
          topic,
          isExtShared,
        })),
      messages,
      dms,
      ephemerals: emulator.ephemerals().filter((e) => !e.deleted),
      views,
      homes,
    };
  }

  private async runCommand(body: Json): Promise<Json> {
    const { emulator, command } = this.deps;
    const userId = person(body);
    const channelId = text(body, 'channelId');
    const typed = text(body, 'text').trim();
    if (!typed.startsWith('/')) {
      const { message } = await emulator.postAsUser(userId, channelId, escapeMentions(typed, emulator));
      return { posted: message.ts };
    }
    const [name = '', ...rest] = typed.split(/\s+/);
    if (name !== command) return { error: `${name} is not a valid command. Try ${command} help.` };
    const result = await emulator.slashCommand(
      userId,
      channelId,
      command,
      escapeMentions(rest.join(' '), emulator),
    );
    return { ...slackTrouble(result.status, result.timedOut, result.problems, command) };
  }

  private async click(body: Json): Promise<Json> {
    const userId = person(body);
    const where =
      typeof body.viewId === 'string'
        ? { viewId: body.viewId }
        : { channelId: text(body, 'channelId'), ts: text(body, 'ts') };
    const value = typeof body.value === 'string' ? body.value : undefined;
    const result = await this.deps.emulator.clickButton(userId, where, text(body, 'actionId'), value);
    return { ...slackTrouble(result.status, result.timedOut, undefined, 'The app') };
  }

  private async submit(body: Json): Promise<Json> {
    const values = body.values;
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new Error('values must be an object of block_id → entry');
    }
    const result = await this.deps.emulator.submitView(
      person(body),
      text(body, 'viewId'),
      values as ViewInput,
    );
    return {
      errors: result.errors ?? {},
      ...(result.delivered ? slackTrouble(result.status, result.timedOut, result.problems, 'The app') : {}),
    };
  }
}

/** What Slack's client would show when the app didn't answer properly. */
function slackTrouble(
  status: number,
  timedOut: boolean | undefined,
  problems: string[] | undefined,
  who: string,
): { error?: string } {
  if (timedOut) return { error: `${who} didn't respond in time (operation_timeout).` };
  if (status === 0) return { error: `${who} couldn't be reached (dispatch_failed).` };
  if (status !== 200) return { error: `${who} failed with HTTP ${status}.` };
  if (problems && problems.length > 0)
    return { error: `Slack rejected the app's answer: ${problems.join('; ')}` };
  return {};
}

/**
 * Slack's client turns a typed `@ana` or `#acme-rollout` into `<@U…|ana>` / `<#C…|acme-rollout>`
 * before a command with `should_escape` reaches the app; the page's composer is plain text, so do it here.
 */
export function escapeMentions(typed: string, emulator: SlackEmulator): string {
  const users = emulator.users();
  const channels = emulator.channels().filter((c) => !c.isIm);
  const named = (u: EmulatedUser, handle: string) =>
    [u.name, u.displayName, u.realName?.split(' ')[0]].some((n) => n?.toLowerCase() === handle.toLowerCase());
  return typed
    .replace(/(^|\s)@([\p{L}\w.-]+)/gu, (whole, lead: string, handle: string) => {
      const user = users.find((u) => !u.deleted && named(u, handle));
      return user ? `${lead}<@${user.id}|${user.name}>` : whole;
    })
    .replace(/(^|\s)#([\w-]+)/g, (whole, lead: string, name: string) => {
      const channel = channels.find((c) => c.name === name.toLowerCase());
      return channel ? `${lead}<#${channel.id}|${channel.name}>` : whole;
    });
}

function person(body: Json): string {
  return text(body, 'userId');
}

function text(body: Json, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw new Error(`${key} is required`);
  return value;
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('the body must be a JSON object');
  }
  return parsed as Json;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
