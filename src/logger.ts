import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

export type { Logger };

// Paths pino redacts wherever these keys appear in a logged object.
const REDACT = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'password',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.password',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers["x-slack-signature"]',
];

// Secrets also hide in free text: URLs with passwords, tokens pasted into messages.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/xox[abposr]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/xapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/(postgres(?:ql)?:\/\/[^:/?#\s]+:)[^@\s]+@/g, '$1[redacted]@'],
];

// Every log line passes through here: one cheap test spares almost every string the replacements.
const MAY_HOLD_SECRET = /xox|xapp|postgres/;

export function scrubSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return SECRET_PATTERNS.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

/** What every log line written while handling one request (or one job's team) carries. */
export interface LogContext {
  readonly requestId?: string;
  readonly teamId?: string;
  readonly job?: string;
}

const context = new AsyncLocalStorage<LogContext>();

/** Runs `work` so that every log line it writes, however deep, carries `fields`. */
export function withLogContext<T>(fields: LogContext, work: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, work);
}

export interface LoggerOptions {
  level: string;
  /** Pretty, human output (a terminal); JSON otherwise. */
  pretty?: boolean;
  /** Where to write (default stdout). */
  destination?: pino.DestinationStream;
}

export function createLogger({ level, pretty, destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin: () => ({ ...context.getStore() }),
    formatters: {
      log: (object) => scrubObject(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  if (destination) return pino(options, destination);
  if (pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return pino(options);
}

function scrubObject(value: unknown, depth = 0): unknown {
  if (depth > 6) return value;
  if (typeof value === 'string') return scrubSecrets(value);
  if (value instanceof Error) {
    // Still an error of the same class, so pino's serializer reports its real type (and cause).
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error;
    for (const [k, v] of Object.entries(value))
      (copy as unknown as Record<string, unknown>)[k] = scrubObject(v, depth + 1);
    copy.message = scrubSecrets(value.message);
    if (value.stack) copy.stack = scrubSecrets(value.stack);
    if (value.cause !== undefined) copy.cause = scrubObject(value.cause, depth + 1);
    return copy;
  }
  if (Array.isArray(value)) {
    const scrubbed = value.map((v) => scrubObject(v, depth + 1));
    return scrubbed.some((v, i) => v !== value[i]) ? scrubbed : value;
  }
  if (value && typeof value === 'object') {
    // Copied only when something in it changed: most lines hold no secret, and they are many.
    let copy: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const scrubbed = scrubObject(v, depth + 1);
      if (scrubbed !== v) (copy ??= { ...value })[k] = scrubbed;
    }
    return copy ?? value;
  }
  return value;
}
