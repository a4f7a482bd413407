// The cron table, and the one place node-cron is imported. A tick plans (per team, each in its own
// transaction, guarded by marks so any number of replicas plan once) and then sends what the outbox
// holds (claimed row by row, so any number of replicas send once).
import cron from 'node-cron';
import type { Db } from '../flows/context.js';
import type { Deliver } from '../flows/delivery.js';
import type { AskChannel } from '../flows/engagement-channels.js';
import { withLogContext, type Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { sweepOutbox, type SweepOptions, type SweepReport } from './outbox-sender.js';
import { planProposalsTick } from './proposals.js';
import { planRemindersTick } from './reminders.js';
import type { TeamTick } from './team-tick.js';

export interface JobDeps {
  readonly db: Db;
  /** Renders and posts one outbox message (src/slack/delivery.ts, passed in by main.ts). */
  readonly deliver: Deliver;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Counts what each job sent, failed to send, or was rate-limited on. */
  readonly metrics?: Metrics;
  /** Asks Slack whether a channel is shared (src/slack/channels.ts); without it, nobody asks. */
  readonly askChannel?: AskChannel;
}

export const JOB_NAMES = ['reminders', 'proposals'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/**
 * When each job ticks, in UTC. Neither is tied to a team's local time here: every tick asks each team
 * whether its moment has come (see jobs/reminders.ts for why that is DST-proof).
 */
export const SCHEDULE: Readonly<Record<JobName, string>> = {
  reminders: '* * * * *',
  proposals: '0 * * * *',
};

export interface JobReport {
  readonly job: JobName;
  readonly at: string;
  readonly teams: readonly TeamTick[];
  /** Outbox rows this tick wrote. */
  readonly written: number;
  readonly sending: SweepReport;
}

const PLANNERS: Record<
  JobName,
  (deps: { db: Db; logger: Logger; askChannel?: AskChannel }, at: Date) => Promise<TeamTick[]>
> = {
  reminders: planRemindersTick,
  proposals: planProposalsTick,
};

/**
 * One tick of a job as if it fired at `at`, then a sweep of the outbox that waits out rate limits and
 * other sweeps' claims, so that when it returns everything sendable has been sent (the command line's
 * and the tests' way in). Running it twice, or in three processes at once, sends each message once.
 */
export async function runJob(
  name: JobName,
  at: Date,
  deps: JobDeps,
  sweep: Partial<Omit<SweepOptions, 'at'>> = {},
): Promise<JobReport> {
  return tick(name, at, deps, {
    drain: true,
    maxDurationMs: 10 * 60_000,
    ...sweep,
  });
}

async function tick(
  name: JobName,
  at: Date,
  deps: JobDeps,
  sweep: Partial<Omit<SweepOptions, 'at'>>,
): Promise<JobReport> {
  // Every line a tick logs says which job it belongs to.
  const { teams, sending } = await withLogContext({ job: name }, async () => {
    const teams = await PLANNERS[name](deps, at);
    const sending = await sweepOutbox(
      { db: deps.db, deliver: deps.deliver, logger: deps.logger },
      { ...sweep, at },
    );
    return { teams, sending };
  });
  deps.metrics?.countMessages(name, 'sent', sending.sent + sending.alreadyPosted);
  deps.metrics?.countMessages(name, 'failed', sending.failed + sending.expired);
  deps.metrics?.countMessages(name, 'rate_limited', sending.rateLimited);
  return {
    job: name,
    at: at.toISOString(),
    teams,
    written: teams.reduce((n, t) => n + t.written, 0),
    sending,
  };
}

/**
 * Starts the cron table. A tick still running when its job fires again is not doubled (the next one
 * picks up what is left). `stop()` stops the cron, lets sweeps finish the calls in flight and hand back
 * what they had not tried, and resolves when every tick has ended.
 */
export function startScheduler(deps: JobDeps): { stop(): Promise<void> } {
  const log = deps.logger.child({ component: 'scheduler' });
  const stopping = new AbortController();
  const running = new Map<JobName, Promise<void>>();

  // One tick at a time in a process (the other replicas tick too): two would only compete for the
  // same outbox rows.
  let previous: Promise<unknown> = Promise.resolve();
  const fire = (name: JobName) => {
    if (stopping.signal.aborted || running.has(name)) return;
    const at = deps.now();
    const run = previous
      .then(() => {
        if (stopping.signal.aborted) return undefined;
        return tick(name, at, deps, {
          signal: stopping.signal,
          // A sweep ends before the next minute's tick; what is left (long rate limits), that tick sends.
          waitMs: 30_000,
          maxDurationMs: 50_000,
        });
      })
      .then((report) => {
        if (!report) return;
        const { sent, alreadyPosted, deferred, failed, expired } = report.sending;
        const busy = report.written + sent + alreadyPosted + failed + expired > 0;
        log[busy ? 'info' : 'debug'](
          { job: name, at: report.at, written: report.written, ...report.sending },
          'tick',
        );
        if (deferred > 0) log.debug({ job: name, deferred }, 'messages deferred to a later tick');
      })
      .catch((err: unknown) => log.error({ err, job: name }, 'tick failed; the next one retries'))
      .finally(() => running.delete(name));
    running.set(name, run);
    previous = run;
  };

  const tasks = JOB_NAMES.map((name) =>
    cron.schedule(SCHEDULE[name], () => fire(name), { timezone: 'UTC', name: `steward-${name}` }),
  );
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        for (const task of tasks) await task.destroy();
        stopping.abort();
        await Promise.allSettled(running.values());
      })();
      return stopped;
    },
  };
}
