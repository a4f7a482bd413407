import { z } from 'zod';
import { isValidTimeOfDay, isValidTimeZone } from './domain/calendar.js';

/** The whole runtime contract (environment variables), validated once at start. */
export interface Config {
  readonly slack:
    | { readonly mode: 'http'; readonly botToken: string; readonly signingSecret: string }
    | {
        readonly mode: 'socket';
        readonly botToken: string;
        readonly appToken: string;
        readonly signingSecret?: string;
      }
    | { readonly mode: 'sandbox' };
  readonly slackApiUrl: string | undefined;
  /** undefined → the embedded database in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly port: number;
  readonly defaultTimeZone: string;
  readonly defaultReminderTime: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const isPostgresUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
};

const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

// Messages never echo the value: it may be a secret.
const schema = z.object({
  SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || /^xox[bp]-/.test(v), {
    message: 'must be a bot token starting with xoxb-',
  }),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), {
    message: 'must be an app-level token starting with xapp-',
  }),
  SLACK_API_URL: optionalText.refine((v) => v === undefined || isHttpUrl(v), {
    message: 'must be an http(s) URL, e.g. https://slack.com/api/',
  }),
  DATABASE_URL: optionalText.refine((v) => v === undefined || isPostgresUrl(v), {
    message:
      'must be a Postgres URL like postgres://user:password@host:5432/steward (or unset for the embedded database)',
  }),
  DATA_DIR: optionalText,
  PORT: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) <= 65535), {
    message: 'must be a port number between 0 and 65535',
  }),
  TZ_DEFAULT: optionalText.refine((v) => v === undefined || isValidTimeZone(v), {
    message: 'must be an IANA time zone such as Europe/Berlin',
  }),
  REMINDER_TIME: optionalText.refine((v) => v === undefined || isValidTimeOfDay(v), {
    message: 'must be a 24-hour time HH:MM such as 09:00',
  }),
  LOG_LEVEL: optionalText.refine(
    (v) => v === undefined || ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(v),
    { message: 'must be one of fatal, error, warn, info, debug, trace, silent' },
  ),
});

/** Reads the environment once; every problem is listed at once, one line each, naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  let slack: Config['slack'] = { mode: 'sandbox' };
  if (e.SLACK_APP_TOKEN) {
    if (!e.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN is required with SLACK_APP_TOKEN (Socket Mode)');
    else
      slack = {
        mode: 'socket',
        botToken: e.SLACK_BOT_TOKEN,
        appToken: e.SLACK_APP_TOKEN,
        ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
      };
  } else if (e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET) {
    if (!e.SLACK_BOT_TOKEN)
      problems.push('SLACK_BOT_TOKEN is required with SLACK_SIGNING_SECRET (HTTP mode)');
    if (!e.SLACK_SIGNING_SECRET)
      problems.push(
        'SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN (HTTP mode), or set SLACK_APP_TOKEN for Socket Mode',
      );
    if (e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET)
      slack = { mode: 'http', botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    slack: Object.freeze(slack),
    slackApiUrl: e.SLACK_API_URL,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR ?? './data',
    port: e.PORT === undefined ? 3000 : Number(e.PORT),
    defaultTimeZone: e.TZ_DEFAULT ?? 'UTC',
    defaultReminderTime: e.REMINDER_TIME ?? '09:00',
    // The sandbox is for a person at a terminal: the page's address, not a stream of logs.
    logLevel: (e.LOG_LEVEL ?? (slack.mode === 'sandbox' ? 'warn' : 'info')) as Config['logLevel'],
  });
}

/**
 * What serving needs beyond a valid config (`npm run migrate` needs less). Without Slack credentials
 * Steward runs the sandbox, whose made-up workspace and clock must never touch a real team's
 * database: a deploy that lost its tokens stops here instead.
 */
export function assertCanServe(config: Config): void {
  if (config.slack.mode === 'sandbox' && config.databaseUrl) {
    throw new ConfigError([
      'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) are required with DATABASE_URL; without them Steward runs the local sandbox, on the embedded database only',
    ]);
  }
}
