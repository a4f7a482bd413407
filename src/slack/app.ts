// The Slack app: Bolt wired to the flows, in HTTP mode (events at POST /slack/events, signatures
// checked by Bolt) or Socket Mode, with /healthz and /readyz either way.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Db, FlowDeps } from '../flows/context.js';
import { randomUUID } from 'node:crypto';
import { withLogContext, type Logger } from '../logger.js';
import type { SendNow } from '../flows/delivery.js';
import type { Metrics } from '../metrics.js';
import * as homeActions from './actions/home.js';
import * as leadActions from './actions/leads.js';
import * as leadHomeActions from './actions/lead-home.js';
import * as closingActions from './actions/closing.js';
import * as listActions from './actions/lists.js';
import * as ownershipActions from './actions/ownership.js';
import * as proposalActions from './actions/proposal.js';
import * as historyActions from './actions/history.js';
import * as planActions from './actions/plan.js';
import * as statusActions from './actions/status-update.js';
import * as reminderActions from './actions/reminder.js';
import * as riskActions from './actions/risks.js';
import * as reportActions from './actions/report.js';
import * as standInActions from './actions/stand-in.js';
import * as templateActions from './actions/templates.js';
import { boltLogger } from './bolt-logger.js';
import * as engagementCommand from './commands/engagement.js';
import type { SlackDeps, WebClient } from './deps.js';
import { handleErrors } from './errors.js';
import * as appHome from './events/app-home.js';
import * as channelSharing from './events/channel-shared.js';
import { closeGracefully, healthServer, healthz, listen, readyz, type Readiness } from './http.js';
import { Listeners } from './listeners.js';
import { People } from './people.js';
import { socketConnection, type SocketConnection } from './socket-mode.js';
import * as chooseOwnerView from './views/choose-owner.js';
import * as chooseStandInView from './views/choose-stand-in.js';
import * as handBackView from './views/hand-back.js';
import * as newEngagementView from './views/new-engagement.js';
import * as planView from './views/plan.js';
import * as statusView from './views/status-update.js';
import * as riskViews from './views/risks.js';
import * as templateView from './views/template.js';
import * as retrospectiveView from './views/retrospective.js';

/** The express router of the HTTP server, for extra routes (the sandbox page). */
export type Router = ExpressReceiver['router'];

export interface SlackAppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly readiness: Readiness;
  /**
   * Credentials to use instead of the configured ones: the sandbox has none in its config and
   * passes the emulator's. Serves over HTTP like HTTP mode.
   */
  readonly credentials?: { readonly botToken: string; readonly signingSecret: string };
  /** Adds routes to the HTTP server (HTTP and sandbox modes), next to /slack/events and the health checks. */
  readonly routes?: (router: Router) => void;
  /** Counts requests and ack latency, and serves GET /metrics. */
  readonly metrics?: Metrics;
  /** Socket Mode's wait before reconnecting (default 5 s); tests shorten it. */
  readonly socketReconnectMs?: number;
  /** Sends what a listener's flow queued in the outbox, at once (the outbox sender, from main.ts). */
  readonly sendNow: SendNow;
  /** The new-engagement form's facts, kept between requests (see db/team-cache.ts). */
  readonly formFacts?: FlowDeps['formFacts'];
}

export interface SlackApp {
  /** Listens on config.port (0: any free port) and, in Socket Mode, connects to Slack. */
  start(): Promise<{ port: number }>;
  /** Stops accepting requests, lets those in flight finish (their Slack calls too), then closes. */
  stop(): Promise<void>;
  /** The bot's Web API client, for the scheduled jobs. */
  readonly client: WebClient;
  /**
   * Resolves once no listener is running, including the work listeners do after their ack (posting
   * proposals, DMs). Tests and the sandbox wait on it instead of polling for side effects.
   */
  idle(): Promise<void>;
}

const EVENTS_PATH = '/slack/events';

type Mode =
  | { kind: 'http'; botToken: string; signingSecret: string }
  | { kind: 'socket'; botToken: string; appToken: string };

function modeOf(deps: SlackAppDeps): Mode {
  if (deps.credentials) return { kind: 'http', ...deps.credentials };
  const slack = deps.config.slack;
  switch (slack.mode) {
    case 'http':
      return { kind: 'http', botToken: slack.botToken, signingSecret: slack.signingSecret };
    case 'socket':
      return { kind: 'socket', botToken: slack.botToken, appToken: slack.appToken };
    case 'sandbox':
      throw new Error('the sandbox passes the emulator’s credentials to createSlackApp; none were given');
  }
}

/** Registers every surface; each folder's module owns its listeners. */
function registerListeners(app: App, deps: SlackDeps): void {
  const listeners = new Listeners();
  for (const surface of [
    engagementCommand,
    newEngagementView,
    chooseOwnerView,
    chooseStandInView,
    handBackView,
    riskViews,
    templateView,
    planView,
    statusView,
    proposalActions,
    standInActions,
    ownershipActions,
    reminderActions,
    historyActions,
    planActions,
    statusActions,
    riskActions,
    templateActions,
    homeActions,
    leadActions,
    leadHomeActions,
    closingActions,
    listActions,
    retrospectiveView,
    reportActions,
    appHome,
    channelSharing,
  ]) {
    surface.register(listeners, deps);
  }
  listeners.mount(app);
}

export async function createSlackApp(deps: SlackAppDeps): Promise<SlackApp> {
  const { config, logger } = deps;
  const mode = modeOf(deps);
  const clientOptions = {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    logger: boltLogger(logger, 'slack-web-api'),
  };

  // Bolt would otherwise call auth.test on the first request, and every request waits on it; once
  // here, with a short retry, and a Slack that can't be reached stops the start with a clear error.
  const identity = await new webApi.WebClient(mode.botToken, {
    ...clientOptions,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000 },
  }).auth.test();
  if (!identity.bot_id || !identity.user_id)
    throw new Error('auth.test did not say who the bot is: is SLACK_BOT_TOKEN a bot token?');

  let stopping = false;
  const socket: SocketConnection | undefined =
    mode.kind === 'socket'
      ? socketConnection({
          appToken: mode.appToken,
          slackApiUrl: config.slackApiUrl,
          logger,
          ...(deps.socketReconnectMs ? { reconnectMs: deps.socketReconnectMs } : {}),
        })
      : undefined;
  const receiver =
    mode.kind === 'http'
      ? new ExpressReceiver({
          signingSecret: mode.signingSecret,
          endpoints: EVENTS_PATH,
          logger: boltLogger(logger),
        })
      : socket!.receiver;

  const app = new App({
    token: mode.botToken,
    botId: identity.bot_id,
    botUserId: identity.user_id,
    receiver,
    logger: boltLogger(logger),
    clientOptions,
    extendedErrorHandler: true,
    // No listener reads context.conversation: spare every request Bolt's conversation lookup.
    convoStore: false,
  });

  // Work a listener does after its ack outlives the HTTP response, and so does the error handler:
  // every receiver hands each request to processEvent, so counting those calls counts it all.
  const inFlight = new Set<Promise<unknown>>();
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const body = (event.body ?? {}) as SlackBody;
    const listener = listenerOf(body);
    const received = performance.now();
    let ackSeconds: number | undefined;
    const ack = event.ack;
    event.ack = (response) => {
      ackSeconds ??= (performance.now() - received) / 1000;
      return ack(response);
    };
    // Every line logged while handling this request carries its id and the workspace's.
    const requestId = randomUUID();
    const teamId = body.team_id ?? body.team?.id ?? body.user?.team_id;
    const work = withLogContext({ requestId, ...(teamId ? { teamId } : {}) }, () => {
      const handled = processEvent(event);
      // One line per request, for operators: what it was, how fast the ack, how long in all.
      const done = (outcome: 'ok' | 'error') => {
        // Bolt leaves what no listener takes unacked; over a socket Slack would send it again and again.
        if (ackSeconds === undefined && socket) {
          logger.warn({ listener }, 'acked a Socket Mode envelope that no listener answered');
          event.ack().catch(() => {});
        }
        const seconds = (performance.now() - received) / 1000;
        deps.metrics?.observeRequest(listener, outcome, ackSeconds ?? seconds);
        logger.info(
          {
            listener,
            outcome,
            ackMs: Math.round((ackSeconds ?? seconds) * 1000),
            totalMs: Math.round(seconds * 1000),
          },
          'slack request handled',
        );
      };
      void handled.then(
        () => done('ok'),
        () => done('error'),
      );
      return handled;
    });
    inFlight.add(work);
    void work.then(
      () => inFlight.delete(work),
      () => inFlight.delete(work),
    );
    return work;
  };
  handleErrors(app, logger);

  const flow: FlowDeps = {
    db: deps.db,
    now: deps.now,
    ...(deps.formFacts ? { formFacts: deps.formFacts } : {}),
  };
  const defaults = { timeZone: config.defaultTimeZone, reminderTime: config.defaultReminderTime };
  const people = new People(app.client, { flow, defaults, logger });
  registerListeners(app, { flow, defaults, people, logger, sendNow: deps.sendNow });

  let server: http.Server | undefined;
  if (receiver instanceof ExpressReceiver) {
    receiver.router.get('/healthz', (_req, res) => {
      const { status, body } = healthz();
      res.status(status).json(body);
    });
    receiver.router.get('/readyz', async (_req, res) => {
      const { status, body } = await readyz(deps.readiness, stopping);
      res.status(status).json(body);
    });
    const { metrics } = deps;
    if (metrics) {
      receiver.router.get('/metrics', async (_req, res) => {
        res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      });
    }
    deps.routes?.(receiver.router);
  } else {
    if (deps.routes) logger.warn('extra routes are served in HTTP mode only; ignored in Socket Mode');
    // Ready only while envelopes can arrive: the socket is open (and the database is ready).
    const connection = socket!;
    const readiness: Readiness = async () =>
      connection.isOpen() ? deps.readiness() : { ready: false, detail: connection.detail() };
    server = healthServer(readiness, () => stopping, deps.metrics);
  }

  const idle = async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    await people.drain();
  };

  let stopped: Promise<void> | undefined;
  return {
    client: app.client,
    idle,
    async start() {
      if (receiver instanceof ExpressReceiver) {
        // The sandbox page has no login: it is for the person at this machine only.
        server = await receiver.start(
          deps.credentials ? { port: config.port, host: '127.0.0.1' } : config.port,
        );
        const { port } = server.address() as AddressInfo;
        logger.info({ port, path: EVENTS_PATH }, 'Slack app listening (HTTP mode)');
        return { port };
      }
      const port = await listen(server!, config.port);
      const outcome = await socket!.start(() => app.start());
      if (outcome === 'open')
        logger.info({ port }, 'Slack app connected (Socket Mode); health checks listening');
      else logger.info({ port }, 'Slack app waiting for Slack (Socket Mode); health checks listening');
      return { port };
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        const closing = server ? closeGracefully(server) : Promise.resolve();
        // No new envelopes once the socket is closed; those already acked finish below.
        await socket?.stop();
        await idle();
        // Keep-alive connections that went quiet since close() began would otherwise hold it open.
        server?.closeIdleConnections();
        await closing;
      })();
      return stopped;
    },
  };
}

interface SlackBody {
  type?: string;
  command?: string;
  team_id?: string;
  team?: { id?: string };
  user?: { team_id?: string };
  actions?: { action_id?: string }[];
  view?: { callback_id?: string };
  event?: { type?: string };
}

/** A stable, low-cardinality name for what a request is, for metrics. */
function listenerOf(body: SlackBody): string {
  if (body.command) return `command ${body.command}`;
  if (body.type === 'block_actions') return `action ${body.actions?.[0]?.action_id ?? 'unknown'}`;
  if (body.type === 'view_submission' || body.type === 'view_closed')
    return `${body.type} ${body.view?.callback_id ?? 'unknown'}`;
  if (body.type === 'event_callback') return `event ${body.event?.type ?? 'unknown'}`;
  return body.type ?? 'unknown';
}
