import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { BotReply } from './types.js';

/**
 * The `X-Slack-Signature` value Slack sends: `v0=` + hex HMAC-SHA256 of
 * `v0:<timestamp>:<raw body>` under the app's signing secret.
 */
export function signSlackRequest(signingSecret: string, rawBody: string, timestampSeconds: number): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`);
  return `v0=${hmac.digest('hex')}`;
}

/** Both signing headers for a body, as Slack sends them. */
export function slackSignatureHeaders(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number,
): { 'x-slack-request-timestamp': string; 'x-slack-signature': string } {
  return {
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': signSlackRequest(signingSecret, rawBody, timestampSeconds),
  };
}

/** POSTs one request to the bot and reads its answer; never throws for HTTP or network trouble. */
export function postToBot(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<BotReply> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (reply: BotReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(reply);
    };
    const req = transport.request(
      target,
      {
        method: 'POST',
        // A fresh connection per request: a kept-alive socket would hold the bot's server open at shutdown.
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          settle({ status: res.statusCode ?? 0, body: parseReply(Buffer.concat(chunks).toString('utf8')) }),
        );
        res.on('error', (err) =>
          settle({ status: res.statusCode ?? 0, body: undefined, error: err.message }),
        );
      },
    );
    const timer = setTimeout(() => {
      settle({ status: 0, body: undefined, timedOut: true });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => settle({ status: 0, body: undefined, error: err.message }));
    req.end(body);
  });
}

function parseReply(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
