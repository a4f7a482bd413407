/**
 * Slack's file upload, as the emulator answers it: `files.getUploadURLExternal` reserves a file and
 * hands out a URL, the bytes are POSTed there (raw, not form-encoded), and
 * `files.completeUploadExternal` shares the uploaded files in a conversation as one message.
 * Downloading a file's `url_private` needs the bot token, as in Slack.
 */
import type http from 'node:http';
import type { SharedFile } from './types.js';
import type { Workspace } from './workspace.js';

type ApiResult = { ok: boolean } & Record<string, unknown>;
type Args = Record<string, unknown>;

/** Slack's limit on an image's alt text. */
const ALT_TEXT_MAX = 1000;
/** Slack accepts files up to 1 GB. */
const MAX_BYTES = 1024 * 1024 * 1024;

interface StoredFile {
  readonly id: string;
  readonly name: string;
  readonly length: number;
  readonly altText?: string;
  readonly createdAt: number;
  bytes?: Buffer;
  title?: string;
  shared: boolean;
}

const MIME_TYPES: Record<string, string> = {
  csv: 'text/csv',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
};

const fail = (error: string, detail?: string): ApiResult => ({
  ok: false,
  error,
  ...(detail ? { response_metadata: { messages: [`[ERROR] ${detail}`] } } : {}),
});

/** The files of one emulated workspace: reserved, uploaded, shared. */
export class EmulatedFiles {
  /** The emulator's root URL, set once it listens: upload and download URLs point there. */
  baseUrl = '';
  private readonly files = new Map<string, StoredFile>();

  /** A file's bytes and type, for the sandbox page; undefined until uploaded. */
  content(id: string): { name: string; mimetype: string; bytes: Buffer } | undefined {
    const file = this.files.get(id);
    if (!file?.bytes) return undefined;
    return { name: file.name, mimetype: mimetypeOf(file.name), bytes: file.bytes };
  }

  reserve(ws: Workspace, args: Args): ApiResult {
    const name = typeof args.filename === 'string' ? args.filename.trim() : '';
    const length = Number(args.length);
    if (name === '') return fail('invalid_arguments', 'missing required field: filename');
    if (args.length === undefined || args.length === '')
      return fail('invalid_arguments', 'missing required field: length');
    if (!Number.isInteger(length) || length < 1 || length > MAX_BYTES)
      return fail('invalid_arguments', 'invalid length');
    // Slack documents `alt_txt`; @slack/web-api sends `alt_text`, which Slack takes too.
    const alt = args.alt_txt ?? args.alt_text;
    const altText = typeof alt === 'string' ? alt : undefined;
    if (altText !== undefined && altText.length > ALT_TEXT_MAX) return fail('alt_txt_too_large');
    const id = ws.newId('F');
    this.files.set(id, {
      id,
      name,
      length,
      createdAt: ws.now(),
      shared: false,
      ...(altText !== undefined ? { altText } : {}),
    });
    return { ok: true, upload_url: `${this.baseUrl}/files/upload/${id}`, file_id: id };
  }

  /** The upload URL's answer: Slack's edge says `OK - <bytes>`. */
  receive(id: string, bytes: Buffer): { status: number; body: string } {
    const file = this.files.get(id);
    if (!file || file.shared) return { status: 404, body: 'Not Found' };
    if (bytes.length !== file.length) {
      return { status: 400, body: `length mismatch: declared ${file.length}, received ${bytes.length}` };
    }
    file.bytes = bytes;
    return { status: 200, body: `OK - ${bytes.length}` };
  }

  complete(ws: Workspace, args: Args): ApiResult {
    const entries = parseFilesArgument(args.files);
    if (!entries) return fail('invalid_arguments', 'files must be a JSON array of {"id": …, "title"?: …}');
    const files: StoredFile[] = [];
    for (const entry of entries) {
      const file = this.files.get(entry.id);
      // Never uploaded, or completed already: Slack knows no such pending upload.
      if (!file?.bytes || file.shared) return fail('file_not_found');
      files.push(file);
    }
    const target =
      typeof args.channel_id === 'string'
        ? args.channel_id
        : typeof args.channels === 'string'
          ? args.channels
          : undefined;
    let channelId: string | undefined;
    if (target !== undefined && target !== '') {
      if (target.includes(',')) return fail('invalid_arguments', 'share in one conversation at a time here');
      channelId = ws.resolveConversation(target);
      const channel = channelId ? ws.channel(channelId) : undefined;
      // Private conversations are invisible to a bot that is not in them.
      if (!channel || (channel.isPrivate && !ws.isMember(channel.id, ws.identity.botUserId))) {
        return fail('channel_not_found');
      }
      if (channel.isArchived) return fail('is_archived');
    }
    entries.forEach((entry, i) => {
      const file = files[i]!;
      file.shared = true;
      if (entry.title) file.title = entry.title;
    });
    const shared = files.map((f) => this.shared(ws, f, channelId));
    if (channelId) {
      const comment = typeof args.initial_comment === 'string' ? args.initial_comment : '';
      const threadTs =
        typeof args.thread_ts === 'string' && args.thread_ts !== '' ? args.thread_ts : undefined;
      ws.postMessage({
        channel: channelId,
        text: comment,
        files: shared,
        user: ws.identity.botUserId,
        botId: ws.identity.botId,
        via: 'chat.postMessage',
        ...(threadTs ? { threadTs } : {}),
      });
    }
    return { ok: true, files: shared.map((f) => ({ id: f.id, title: f.title })) };
  }

  /** GET /files/<id>/<name> with the bot token: the bytes. */
  download(
    id: string,
    authorization: string | undefined,
    botToken: string,
  ): { status: number; file?: ReturnType<EmulatedFiles['content']> } {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (token !== botToken) return { status: 403 };
    const file = this.files.get(id);
    if (!file?.shared) return { status: 404 };
    return { status: 200, file: this.content(id) };
  }

  private shared(ws: Workspace, file: StoredFile, channelId: string | undefined): SharedFile {
    const ext = extensionOf(file.name);
    return {
      id: file.id,
      name: file.name,
      title: file.title ?? file.name,
      mimetype: mimetypeOf(file.name),
      filetype: ext,
      size: file.length,
      user: ws.identity.botUserId,
      created: Math.floor(file.createdAt / 1000),
      url_private: `${this.baseUrl}/files/${file.id}/${encodeURIComponent(file.name)}`,
      url_private_download: `${this.baseUrl}/files/${file.id}/${encodeURIComponent(file.name)}?download=1`,
      channels: channelId ? [channelId] : [],
      ...(file.altText !== undefined ? { alt_txt: file.altText } : {}),
    };
  }
}

/** The Web API methods, in the shape of `METHODS`. */
export const FILE_METHODS: Record<string, (ws: Workspace, args: Args) => ApiResult> = {
  'files.getUploadURLExternal': (ws, args) => ws.files.reserve(ws, args),
  'files.completeUploadExternal': (ws, args) => ws.files.complete(ws, args),
};

/**
 * Answers the upload and download URLs (`/files/…`), reading the body as raw bytes. Returns false
 * for any other path.
 */
export async function answerFileRequest(
  ws: Workspace,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
): Promise<boolean> {
  const upload = /^\/files\/upload\/(F\w+)$/.exec(pathname)?.[1];
  if (upload && req.method === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = await uploadedBytes(Buffer.concat(chunks), req.headers['content-type']);
    const { status, body } = bytes
      ? ws.files.receive(upload, bytes)
      : { status: 400, body: 'no file in the multipart body' };
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(body);
    return true;
  }
  const download = /^\/files\/(F\w+)\/[^/]+$/.exec(pathname)?.[1];
  if (download && req.method === 'GET') {
    const { status, file } = ws.files.download(download, req.headers.authorization, ws.identity.botToken);
    if (!file) {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(status === 403 ? 'Forbidden' : 'Not Found');
      return true;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
    return true;
  }
  return false;
}

/**
 * The bytes POSTed to an upload URL: the raw body, or the file part of a multipart form (what
 * @slack/web-api's filesUploadV2 sends).
 */
async function uploadedBytes(raw: Buffer, contentType: string | undefined): Promise<Buffer | undefined> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) return raw;
  try {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    for (const value of form.values()) {
      if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
    }
  } catch {
    // A malformed form has no file in it.
  }
  return undefined;
}

function parseFilesArgument(value: unknown): { id: string; title?: string }[] | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  const entries: { id: string; title?: string }[] = [];
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { id, title } = item as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') return undefined;
    entries.push({ id, ...(typeof title === 'string' && title !== '' ? { title } : {}) });
  }
  return entries;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? 'binary' : name.slice(dot + 1).toLowerCase();
}

function mimetypeOf(name: string): string {
  return MIME_TYPES[extensionOf(name)] ?? 'application/octet-stream';
}
