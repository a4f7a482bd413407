// The one place unexpected errors end up: logged with what was being handled, and the person
// told, politely and privately, that it didn't work. Expected outcomes never get here: flows
// return them as values and listeners answer them.
import { randomBytes } from 'node:crypto';
import type { App } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { WebClient } from './deps.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** What a request was about, for the log line. */
export function describeRequest(body: unknown): Json {
  if (!isObject(body)) return {};
  const user = isObject(body.user) ? str(body.user.id) : str(body.user_id);
  const event = isObject(body.event) ? body.event : undefined;
  const actions = Array.isArray(body.actions) ? (body.actions as unknown[]) : [];
  const action = isObject(actions[0]) ? actions[0] : undefined;
  const view = isObject(body.view) ? body.view : undefined;
  return Object.fromEntries(
    Object.entries({
      type: str(body.type) ?? (str(body.command) ? 'slash_command' : undefined),
      command: str(body.command),
      // The arguments of a command are the person's own words: log how long, not what.
      textLength: typeof body.text === 'string' ? body.text.length : undefined,
      action: action ? str(action.action_id) : undefined,
      value: action ? str(action.value) : undefined,
      callbackId: view ? str(view.callback_id) : undefined,
      event: event ? str(event.type) : undefined,
      user: user ?? (event ? str(event.user) : undefined),
      team: isObject(body.team) ? str(body.team.id) : str(body.team_id),
    }).filter(([, v]) => v !== undefined),
  );
}

export const politeFailure = (reference: string) =>
  `Sorry, something went wrong on my side and I couldn't finish that. Please try again in a moment; if it keeps happening, tell your Steward admin (reference \`${reference}\`).`;

/** Where to tell the person privately: the response_url if any, else an ephemeral, else a DM. */
async function tellPerson(client: WebClient, body: unknown, text: string): Promise<void> {
  if (!isObject(body)) return;
  const responseUrl = str(body.response_url);
  if (responseUrl) {
    const res = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    });
    if (res.ok) return;
  }
  const event = isObject(body.event) ? body.event : undefined;
  const userId = isObject(body.user)
    ? str(body.user.id)
    : (str(body.user_id) ?? (event ? str(event.user) : undefined));
  if (!userId) return;
  const channelId = isObject(body.channel) ? str(body.channel.id) : str(body.channel_id);
  if (channelId && !(event && event.type === 'app_home_opened')) {
    try {
      await client.chat.postEphemeral({ channel: channelId, user: userId, text });
      return;
    } catch {
      // Not in that channel (or it's gone): a DM still reaches them.
    }
  }
  const opened = await client.conversations.open({ users: userId });
  if (opened.channel?.id) await client.chat.postMessage({ channel: opened.channel.id, text });
}

/**
 * Installs the global error handling: a middleware that acks what a failed listener left unacked
 * (else Slack waits 3 s and shows a vague error), and the `app.error` hook.
 */
export function handleErrors(app: App, logger: Logger): void {
  app.use(async ({ next, ...args }) => {
    try {
      await next();
    } catch (error) {
      const ack = (args as { ack?: () => Promise<void> }).ack;
      // Already acked is fine: ack throws then, and there's nothing more to answer.
      if (ack) await ack().catch(() => {});
      throw error;
    }
  });
  const onError = async ({ error, body }: { error: Error; body: unknown }) => {
    const reference = randomBytes(3).toString('hex');
    const original = (error as { original?: unknown }).original ?? error;
    logger.error({ err: original, reference, request: describeRequest(body) }, 'a Slack request failed');
    try {
      await tellPerson(app.client, body, politeFailure(reference));
    } catch (telling) {
      logger.warn({ err: telling, reference }, 'could not tell the person about the failure');
    }
  };
  app.error(onError);
}
