// Socket Mode: Bolt's receiver, with what it lacks for running unattended.
//
// Hazards, and what this file does against them:
// - The receiver's own Web API client opens the connection (`apps.connections.open`) and, left to
//   itself, goes to Slack's address whatever SLACK_API_URL says: it is handed the same URL.
// - Left to itself it also retries an unreachable Slack with ever longer waits (hours, after a long
//   outage) and logs every attempt: here it retries forever with a capped wait, logs nothing itself,
//   and this file says once that Slack cannot be reached and once that it is back.
// - /readyz must not say ready while no envelope can arrive: `isOpen` is true only between Slack's
//   `hello` and the connection's end.
// - The client throws inside its message handler on an envelope without the payload it expects (a
//   rejection nobody catches: the process dies), and Bolt leaves envelopes of unknown types
//   unacked (Slack retries them): such envelopes are logged and acked here, and go no further.
import { SocketModeReceiver } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { boltLogger } from './bolt-logger.js';

export interface SocketModeOptions {
  readonly appToken: string;
  /** the Web API root (SLACK_API_URL); undefined → Slack's */
  readonly slackApiUrl: string | undefined;
  readonly logger: Logger;
  /**
   * How long to wait before reconnecting, and for a pong before calling the connection lost (Bolt's
   * default 5 s); the wait to reach an unreachable Slack grows from it to six times it.
   */
  readonly reconnectMs?: number;
}

export interface SocketConnection {
  readonly receiver: SocketModeReceiver;
  /** True between Slack's `hello` and the connection's end. */
  isOpen(): boolean;
  /** Why it is not open, for /readyz. */
  detail(): string;
  /**
   * Connects (`connect` is the app's start). Resolves once open, or once Slack has been found
   * unreachable (the connection keeps trying in the background); rejects when Slack refuses the token.
   */
  start(connect: () => Promise<unknown>): Promise<'open' | 'unreachable'>;
  /** Closes the connection and stops reconnecting. */
  stop(): Promise<void>;
}

const CLOSE_WAIT_MS = 3000;

export function socketConnection(options: SocketModeOptions): SocketConnection {
  const { logger } = options;
  const reconnectMs = options.reconnectMs ?? 5000;
  let open = false;
  let helloSinceConnecting = false;
  let unreachable: string | undefined;
  let stopping = false;
  const troubleWaiters = new Set<() => void>();

  const cannotReach = (reason: string) => {
    if (stopping || open) return;
    if (unreachable === undefined) {
      logger.warn({ reason }, 'Slack cannot be reached (Socket Mode): not ready; retrying until it answers');
    }
    unreachable = reason;
    for (const wake of troubleWaiters) wake();
  };

  // Passed through to p-retry, which the Web API client retries with: every failed attempt to
  // reach Slack says so, and none is made once stopping.
  const retryConfig = {
    forever: true,
    factor: 2,
    randomize: true,
    minTimeout: reconnectMs,
    maxTimeout: reconnectMs * 6,
    onFailedAttempt: (error: Error) => {
      if (stopping) throw error;
      cannotReach(error.message);
    },
  };

  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logger: quiet(boltLogger(logger, 'bolt-socket-mode')),
    clientPingTimeout: reconnectMs,
    installerOptions: {
      clientOptions: { ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}), retryConfig },
    },
    // processEvent failed outside any listener (the error handler covers listeners): ack, so that
    // Slack does not send the same body again to fail the same way.
    processEventErrorHandler: async ({ error, event }) => {
      logger.error({ err: error, type: (event.body as { type?: unknown } | null)?.type }, 'envelope failed');
      return true;
    },
  });

  const client = receiver.client;
  client.on('connecting', () => (helloSinceConnecting = false));
  client.on('reconnecting', () => (helloSinceConnecting = false));
  client.on('connected', () => {
    open = true;
    helloSinceConnecting = true;
    if (unreachable !== undefined) logger.info('Slack reached again (Socket Mode): connected, ready');
    unreachable = undefined;
  });
  client.on('close', () => {
    const wasOpen = open;
    open = false;
    if (stopping) return;
    if (wasOpen) logger.debug('Socket Mode connection closed; reconnecting');
    else if (!helloSinceConnecting) cannotReach('the Socket Mode WebSocket could not be opened');
  });

  guardEnvelopes(receiver, logger);

  return {
    receiver,
    isOpen: () => open,
    detail: () =>
      stopping
        ? 'shutting down'
        : unreachable !== undefined
          ? `Slack cannot be reached (Socket Mode): ${unreachable}`
          : 'Socket Mode connection to Slack not open yet',
    async start(connect) {
      let wake: () => void = () => {};
      const trouble = new Promise<'unreachable'>((resolve) => {
        wake = () => resolve('unreachable');
        troubleWaiters.add(wake);
      });
      const connected = connect().then(
        () => 'open' as const,
        (error: unknown) => {
          if (stopping) return 'open' as const;
          const code = (error as { data?: { error?: unknown } }).data?.error;
          throw new Error(
            `Slack refused to open a Socket Mode connection${typeof code === 'string' ? ` (${code})` : ''}: is SLACK_APP_TOKEN an app-level token of this app, with connections:write?`,
            { cause: error },
          );
        },
      );
      try {
        const outcome = await Promise.race([connected, trouble]);
        // Still connecting in the background: a refusal that comes later is logged, and /readyz stays 503.
        if (outcome === 'unreachable')
          connected.catch((error: unknown) => logger.error({ err: error }, (error as Error).message));
        return outcome;
      } finally {
        troubleWaiters.delete(wake);
      }
    },
    async stop() {
      stopping = true;
      open = false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        client.disconnect(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_WAIT_MS);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

// What Slack sends on the socket, as far as the client and Bolt rely on it.
const object = z.record(z.string(), z.unknown());
const envelopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello') }),
  z.object({ type: z.literal('disconnect') }),
  z.object({
    type: z.literal('events_api'),
    envelope_id: z.string(),
    payload: z.object({ type: z.string(), event: z.object({ type: z.string() }) }),
  }),
  z.object({
    type: z.literal('slash_commands'),
    envelope_id: z.string(),
    payload: z.object({ command: z.string() }),
  }),
  z.object({ type: z.literal('interactive'), envelope_id: z.string(), payload: object }),
]);

/** Lets only envelopes the client can take reach it; logs and acks the others. */
function guardEnvelopes(receiver: SocketModeReceiver, logger: Logger): void {
  const client = receiver.client;
  const handlers = client.listeners('ws_message') as ((data: unknown, isBinary: boolean) => unknown)[];
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    if (!isBinary) {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer);
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        logger.warn({ length: text.length }, 'ignored a Socket Mode message that is not JSON');
        return;
      }
      const checked = envelopeSchema.safeParse(message);
      if (!checked.success) {
        const { type, envelope_id: envelopeId } = (object.safeParse(message).data ?? {}) as {
          type?: unknown;
          envelope_id?: unknown;
        };
        logger.warn(
          {
            type: typeof type === 'string' ? type : undefined,
            envelopeId,
            problem: checked.error.issues[0]?.message,
            path: checked.error.issues[0]?.path.join('.'),
          },
          'acked and ignored a Socket Mode envelope Slack would not send',
        );
        // The client's own ack path (`send`, private in its types) is the only way to answer one.
        if (typeof envelopeId === 'string')
          (client as unknown as { send(id: string): Promise<void> }).send(envelopeId).catch(() => {});
        return;
      }
    }
    for (const handler of handlers)
      Promise.resolve(handler.call(client, data, isBinary)).catch((error: unknown) =>
        logger.error({ err: error }, 'Socket Mode message failed'),
      );
  });
}

/** The receiver's own lines go to debug: the connection's state is told by this file, once. */
function quiet(logger: ReturnType<typeof boltLogger>): ReturnType<typeof boltLogger> {
  return { ...logger, info: logger.debug, warn: logger.debug, error: logger.debug };
}
