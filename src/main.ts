// The composition root: config → logger → database (migrated) → Slack app → scheduled jobs.
// Only this file and the command-line entry points read the environment and build clients.
import { pathToFileURL } from 'node:url';
import { assertCanServe, ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, prepareEmbeddedTemplate, type DatabaseHandle } from './db/connect.js';
import { migrateToLatest, pendingMigrations } from './db/migrate.js';
import { TeamCache } from './db/team-cache.js';
import { EVERY_TEAM, listenForTeamChanges, type TeamChangeListener } from './db/team-changes.js';
import type { NewEngagementContext } from './db/teams.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createSlackApp } from './slack/app.js';
import { slackDelivery } from './slack/delivery.js';
import { slackChannelAsker } from './slack/channels.js';
import { sendNow } from './jobs/outbox-sender.js';
import { startScheduler } from './jobs/schedule.js';
import { sandboxAddress, startSandbox, type Sandbox, type SandboxOptions } from './sandbox/sandbox.js';

export interface Steward {
  /** The port the HTTP server listens on. */
  readonly port: number;
  readonly database: DatabaseHandle;
  /** The sandbox page's address, when running without Slack credentials. */
  readonly sandboxUrl?: string;
  /** Drains in-flight requests and jobs, then closes everything. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly logger: Logger;
  /**
   * The clock (tests pass a fixed one). In the sandbox it only says where the sandbox clock
   * starts: from there it runs on, and the page moves it.
   */
  readonly now?: () => Date;
  /** Start the cron schedule (default true; tests drive jobs explicitly). */
  readonly schedule?: boolean;
  /** The sandbox's emulated Slack: how long it waits for an ack and keeps a trigger (see sandbox.ts). */
  readonly sandboxPatience?: SandboxOptions['patience'];
}

export async function startSteward(config: Config, options: StartOptions): Promise<Steward> {
  const { logger } = options;
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    migrated: true,
  });
  let sandbox: Sandbox | undefined;
  let teamChanges: TeamChangeListener | undefined;
  try {
    const { applied } = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    const readiness = async () => {
      try {
        const pending = await pendingMigrations(database.db);
        return pending.length === 0
          ? { ready: true }
          : { ready: false, detail: `pending migrations: ${pending.join(', ')}` };
      } catch (error) {
        return { ready: false, detail: `database unreachable: ${(error as Error).message}` };
      }
    };
    // No Slack credentials: the same app runs against the built-in emulator, with its made-up
    // credentials and Web API URL, on the sandbox clock, with the page on the same server.
    if (config.slack.mode === 'sandbox') {
      sandbox = await startSandbox({
        config,
        db: database.db,
        logger,
        startAt: options.now?.(),
        ...(options.sandboxPatience ? { patience: options.sandboxPatience } : {}),
      });
    }
    const now = sandbox?.now ?? options.now ?? (() => new Date());
    const metrics = createMetrics(database.db);
    // Opening the new-engagement form reads the team from memory while Postgres can say when it
    // changes; until this connection listens (and whenever it drops), from the database.
    const formFacts = new TeamCache<NewEngagementContext>();
    teamChanges = listenForTeamChanges(
      database.url,
      {
        changed: (teamId) => (teamId === EVERY_TEAM ? formFacts.forgetAll() : formFacts.forget(teamId)),
        listening: () => formFacts.setLive(true),
        lost: () => formFacts.setLive(false),
      },
      logger,
    );
    // The outbox's delivery: Slack, through a client of its own (see slack/delivery.ts).
    const deliver = slackDelivery(
      sandbox
        ? { token: sandbox.credentials.botToken, slackApiUrl: sandbox.slackApiUrl }
        : {
            token: config.slack.mode === 'sandbox' ? undefined : config.slack.botToken,
            slackApiUrl: config.slackApiUrl,
          },
      logger,
    );
    const askChannel = slackChannelAsker(
      sandbox
        ? { token: sandbox.credentials.botToken, slackApiUrl: sandbox.slackApiUrl }
        : {
            token: config.slack.mode === 'sandbox' ? undefined : config.slack.botToken,
            slackApiUrl: config.slackApiUrl,
          },
      logger,
    );
    const sender = { db: database.db, deliver, logger };
    const slack = await createSlackApp({
      config: sandbox ? { ...config, slackApiUrl: sandbox.slackApiUrl } : config,
      db: database.db,
      logger,
      now,
      readiness,
      metrics,
      sendNow: (messages) => sendNow(sender, messages, { at: now() }),
      formFacts,
      ...(sandbox ? { credentials: sandbox.credentials, routes: sandbox.mount } : {}),
    });
    const { port } = await slack.start();
    sandbox?.connect({ eventsUrl: `http://127.0.0.1:${port}/slack/events`, deliver, idle: slack.idle });
    const scheduler =
      options.schedule === false
        ? undefined
        : startScheduler({ db: database.db, deliver, logger, now, metrics, askChannel });
    let stopping: Promise<void> | undefined;
    return {
      port,
      database,
      ...(sandbox ? { sandboxUrl: sandboxAddress(port) } : {}),
      stop() {
        stopping ??= (async () => {
          sandbox?.closeStreams();
          await slack.stop();
          await scheduler?.stop();
          await teamChanges?.stop();
          await sandbox?.stop();
          await database.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await teamChanges?.stop().catch(() => {});
    await sandbox?.stop().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}

/**
 * `npm install`'s part in a fast first start: the embedded database's template with Steward's
 * tables in place (see db/embedded-server.ts). Without it a first start migrates as usual.
 */
export async function prepare(): Promise<void> {
  await prepareEmbeddedTemplate();
}

/** Reads the environment and serves until SIGTERM or SIGINT (npm start's bundle calls it too). */
export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
    assertCanServe(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`steward: ${problem}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY });
  let steward: Steward;
  try {
    steward = await startSteward(config, { logger });
  } catch (error) {
    logger.fatal({ err: error }, 'steward could not start');
    process.stderr.write(`steward: ${(error as Error).message}\n`);
    process.exit(1);
  }
  logger.info(
    { port: steward.port, database: steward.database.kind, slack: config.slack.mode },
    'steward is running',
  );
  if (steward.sandboxUrl)
    process.stdout.write(`Steward sandbox (no Slack workspace needed): ${steward.sandboxUrl}\n`);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: draining requests and jobs');
    steward.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
