// The local sandbox: with no Slack credentials, the real bot runs against the built-in
// Slack emulator, on a clock the page can move, and the page is served on the bot's own port.
// main.ts starts it before the Slack app (the app needs its made-up credentials and the emulator's
// Web API URL) and connects it after (the emulator needs the bot's URL, the clock control its client).
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Db } from '../flows/context.js';
import { reminderSchedule } from '../flows/team-days.js';
import { runJob, type JobDeps } from '../jobs/schedule.js';
import type { Logger } from '../logger.js';
import { COMMAND } from '../slack/ids.js';
import { nextReminderMoment, SandboxClock } from './clock.js';
import { SandboxRoutes, type ClockState, type RouterLike } from './routes.js';
import { loadSavedSandbox, SandboxSaver, savedStatePath } from './saved-state.js';
import { SANDBOX_BOT, SANDBOX_CHANNELS, SANDBOX_PEOPLE, SANDBOX_TEAM } from './seed.js';
import { SlackEmulator } from './slack-emulator.js';

export interface SandboxOptions {
  readonly config: Config;
  readonly db: Db;
  readonly logger: Logger;
  /** Where the sandbox clock starts (default: where it was saved, or now); it runs in real time from there. */
  readonly startAt?: Date;
  /**
   * How long the emulated Slack waits for the bot's ack, and keeps a trigger id, in milliseconds
   * (default Slack's 3 s each). Tests on a busy machine lengthen them: neither is what they test.
   */
  readonly patience?: { readonly ackTimeoutMs: number; readonly triggerLifetimeMs: number };
}

/** Credentials made up at start: the emulator accepts exactly these, and signs with the secret. */
export interface SandboxCredentials {
  readonly botToken: string;
  readonly signingSecret: string;
  readonly botUserId: string;
  readonly botId: string;
}

export interface Sandbox {
  readonly emulator: SlackEmulator;
  readonly credentials: SandboxCredentials;
  /** For the app's Web API client (`slackApiUrl`). */
  readonly slackApiUrl: string;
  /** The app's clock: the sandbox's, which the page moves. */
  readonly now: () => Date;
  /** Adds the page and its API to the bot's HTTP server. */
  mount(router: RouterLike): void;
  /**
   * Once the bot listens: where the emulator sends events, the delivery the jobs send with, and
   * how to wait until the bot has finished the requests in hand.
   */
  connect(bot: { eventsUrl: string; deliver: JobDeps['deliver']; idle?: () => Promise<void> }): void;
  /** Ends the page's event streams: the bot's server waits for open responses before it closes. */
  closeStreams(): void;
  /** Ends the streams and the emulator; call after the bot stopped, as it may still be posting. */
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { config, db, logger } = options;
  const file = savedStatePath(config.dataDir);
  const saved = loadSavedSandbox(file, logger);
  const clock = new SandboxClock(options.startAt ?? (saved ? new Date(saved.clock) : undefined));
  const credentials: SandboxCredentials = {
    botToken: `xoxb-sandbox-${randomBytes(12).toString('hex')}`,
    signingSecret: randomBytes(32).toString('hex'),
    botUserId: SANDBOX_BOT.userId,
    botId: SANDBOX_BOT.botId,
  };
  const emulator = await SlackEmulator.start({
    signingSecret: credentials.signingSecret,
    botToken: credentials.botToken,
    teamId: SANDBOX_TEAM.id,
    teamName: SANDBOX_TEAM.name,
    teamDomain: SANDBOX_TEAM.domain,
    botUserId: SANDBOX_BOT.userId,
    botId: SANDBOX_BOT.botId,
    appId: SANDBOX_BOT.appId,
    botName: SANDBOX_BOT.name,
    // The saved workspace first; the seed's people and channels then replace their saved copies.
    ...(saved ? { restore: saved.workspace } : {}),
    users: SANDBOX_PEOPLE,
    channels: SANDBOX_CHANNELS,
    // Message times, trigger and response_url expiry follow the sandbox clock, as they would in a
    // workspace living through those days.
    now: () => clock.now().getTime(),
    ...options.patience,
  });

  const saver = new SandboxSaver(
    file,
    () => ({ clock: clock.now().toISOString(), workspace: emulator.snapshot() }),
    logger,
  );
  emulator.onEvent((event) => {
    if (event.type !== 'api_call' && event.type !== 'delivered') saver.changed();
  });

  const defaults = { timeZone: config.defaultTimeZone, reminderTime: config.defaultReminderTime };
  let deliver: JobDeps['deliver'] | undefined;
  let idle: () => Promise<void> = () => Promise.resolve();
  const clockState = async (): Promise<ClockState> => {
    const schedule = await reminderSchedule(db, SANDBOX_TEAM.id, defaults);
    const now = clock.now();
    return {
      now: now.toISOString(),
      timeZone: schedule.timeZone,
      reminderTime: schedule.reminderTime,
      nextReminder: nextReminderMoment(schedule, now).toISOString(),
    };
  };
  let advancing = Promise.resolve();
  const advanceClock = (): Promise<ClockState> => {
    // Two quick clicks must not run the jobs for one day while the clock already shows the next.
    const run = advancing.then(async () => {
      if (!deliver) throw new Error('the bot is not running yet');
      // A command's reply still on its way would find its response_url expired a day later: the
      // clock moves once the bot has answered what it was asked, as a person clicking would see.
      await idle();
      const at = nextReminderMoment(await reminderSchedule(db, SANDBOX_TEAM.id, defaults), clock.now());
      clock.advanceTo(at);
      await saver.save();
      const deps: JobDeps = { db, deliver, logger, now: clock.now };
      await runJob('reminders', at, deps);
      await runJob('proposals', at, deps);
      logger.info({ at: at.toISOString() }, 'sandbox clock advanced; scheduled jobs ran');
    });
    advancing = run.catch(() => {});
    return run.then(clockState);
  };

  const page = new SandboxRoutes({ emulator, command: COMMAND, logger, clockState, advanceClock });
  return {
    emulator,
    credentials,
    slackApiUrl: emulator.apiUrl,
    now: clock.now,
    mount: (router) => page.mount(router),
    connect(bot) {
      emulator.setBotUrl(bot.eventsUrl);
      deliver = bot.deliver;
      if (bot.idle) idle = bot.idle;
    },
    closeStreams() {
      page.close();
    },
    async stop() {
      page.close();
      await saver.save();
      await emulator.close();
    },
  };
}

/** The one line `npm start` prints in sandbox mode. */
export function sandboxAddress(port: number): string {
  return `http://localhost:${port}/`;
}
