// The daily reminder sweep at scale, against the Slack emulator enforcing Slack's per-channel limit on
// chat.postMessage (1 message/s, bursts of 3): how fast it sends, how close the busy channels come to
// their limit, and how many database queries it makes (it must not grow with the engagements).
//
//   npx tsx test/bench/reminder-sweep.ts [--engagements 2000] [--embedded]
//
// Postgres at BENCH_DATABASE_URL / TEST_DATABASE_URL (default the local cluster), or the embedded
// database with --embedded. Also a suite for `npm run bench` (export `bench`).
import { pathToFileURL } from 'node:url';
import { webApi } from '@slack/bolt';
import pg from 'pg';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { listOutbox } from '../../src/db/outbox.js';
import { updateTeam } from '../../src/db/teams.js';
import { addToRotation } from '../../src/flows/manage-team.js';
import { recognizePerson } from '../../src/flows/set-up-team.js';
import { planRemindersTick } from '../../src/jobs/reminders.js';
import { runJob } from '../../src/jobs/schedule.js';
import { createLogger } from '../../src/logger.js';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { insertActiveEngagements } from '../jobs/bulk.js';
import { figure, freshEmbedded, freshPostgres, type Figure } from './support.js';

const TEAM = 'T0BENCH';
const LEAD = 'U0LEAD';
const OWNERS = Array.from({ length: 20 }, (_, i) => `U${String(i + 1).padStart(3, '0')}`);
const TICK = '2026-12-07T09:00:00Z'; // a Monday
const LIMIT = { perSecond: 1, burst: 3 };

// Every query any pg client in this process sends (the app's pool, whichever database): the sweep's
// round trips, transactions' begin and commit included.
let queries = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  queries++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

interface SweepFigures {
  engagements: number;
  planQueries: number;
  planMs: number;
  sendQueries: number;
  sendMs: number;
  sent: number;
  refused: number;
  /** Engagement-channel reminders: how many, and how long from the first post to the last. */
  reminders: number;
  remindersMs: number;
  /** Channels with more messages than a burst, their achieved rate as a share of 1/s. */
  busy: { channel: string; messages: number; seconds: number; share: number }[];
}

/**
 * One team with `engagements` active engagements, each in its own channel: 95 % start today (kickoff
 * due: a reminder each), 5 % started ten business days ago (several milestones more than two business
 * days overdue: escalation DMs to the lead, and a status update due: a DM to each owner).
 */
async function sweep(database: DatabaseHandle, engagements: number): Promise<SweepFigures> {
  const db = database.db;
  const logger = createLogger({ level: 'silent' });
  const deps = {
    db,
    now: () => new Date('2026-11-30T10:00:00Z'),
    defaults: { timeZone: 'UTC', reminderTime: '09:00' },
  };
  await recognizePerson(deps, TEAM, { userId: LEAD, name: 'Lee Lead', isWorkspaceAdmin: true });
  await addToRotation(
    deps,
    { teamId: TEAM, userId: LEAD },
    OWNERS.map((id) => ({ userId: id, name: id.toLowerCase() })),
  );
  await updateTeam(db, TEAM, { rotationChannelId: 'C0ROTATION' });
  const late = Math.round(engagements * 0.05);
  const channels = [
    ...(await insertActiveEngagements(db, {
      teamId: TEAM,
      count: engagements - late,
      startsOn: '2026-12-07',
      owners: OWNERS,
      createdBy: LEAD,
      prefix: 'NEW',
    })),
    ...(await insertActiveEngagements(db, {
      teamId: TEAM,
      count: late,
      startsOn: '2026-11-23',
      owners: OWNERS,
      createdBy: LEAD,
      prefix: 'LATE',
    })),
  ];
  const emulator = await SlackEmulator.start({
    signingSecret: 'bench',
    teamId: TEAM,
    rateLimit: LIMIT,
    users: [LEAD, ...OWNERS].map((id) => ({ id, name: id.toLowerCase() })),
    channels: [
      { id: 'C0ROTATION', name: 'rotation' },
      ...channels.map((id) => ({ id, name: id.toLowerCase() })),
    ],
  });
  try {
    const client = new webApi.WebClient(emulator.identity.botToken, { slackApiUrl: emulator.apiUrl });
    const at = new Date(TICK);
    queries = 0;
    let started = performance.now();
    await planRemindersTick({ db, logger }, at);
    const planQueries = queries;
    const planMs = performance.now() - started;

    queries = 0;
    started = performance.now();
    // The planning is done: this tick only sends.
    const report = await runJob('reminders', at, { db, client, logger, now: () => at });
    const sendQueries = queries;
    const sendMs = performance.now() - started;

    const rows = await listOutbox(db, TEAM);
    if (rows.some((r) => r.status !== 'sent')) throw new Error('not everything was sent');
    const calls = emulator.callsTo('chat.postMessage');
    const ok = calls.filter((c) => c.status === 200);
    const byChannel = new Map<string, number[]>();
    for (const c of ok) {
      const channel = String(c.args.channel);
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), c.at]);
    }
    const busy = [...byChannel.entries()]
      .filter(([, at]) => at.length > LIMIT.burst)
      .map(([channel, at]) => {
        // Over T seconds the limit lets through a burst plus T messages: the share of that actually used.
        const seconds = (at.at(-1)! - at[0]!) / 1000;
        return {
          channel,
          messages: at.length,
          seconds,
          share: (at.length - LIMIT.burst) / (seconds * LIMIT.perSecond),
        };
      })
      .sort((a, b) => b.messages - a.messages);
    const first = calls[0]?.at ?? 0;
    const inChannels = ok.filter((c) => /^C(NEW|LATE)/.test(String(c.args.channel)));
    return {
      engagements,
      reminders: inChannels.length,
      remindersMs: Math.max(0, ...inChannels.map((c) => c.at - first)),
      planQueries,
      planMs,
      sendQueries,
      sendMs,
      sent: report.sending.sent,
      refused: calls.length - ok.length,
      busy,
    };
  } finally {
    await emulator.close();
  }
}

export async function bench(options: { engagements?: number; embedded?: boolean } = {}): Promise<Figure[]> {
  const figures: Figure[] = [];
  const sizes = [...new Set([Math.round((options.engagements ?? 2000) / 10), options.engagements ?? 2000])];
  const results: SweepFigures[] = [];
  for (const size of sizes) {
    const database = options.embedded ? await freshEmbedded() : await freshPostgres();
    try {
      results.push(await sweep(database, size));
    } finally {
      await database.close();
    }
  }
  const where = options.embedded ? 'embedded' : 'Postgres';
  for (const r of results) {
    const lead = r.busy.find((b) => b.channel === LEAD);
    const owners = r.busy.filter((b) => b.channel !== LEAD);
    figures.push(
      figure(
        null,
        `reminder sweep, ${r.engagements} engagements (${where}): ${r.sent} messages in ${(r.sendMs / 1000).toFixed(1)} s; ` +
          `the ${r.reminders} engagement-channel reminders all out within ${(r.remindersMs / 1000).toFixed(1)} s ` +
          `(${(r.reminders / Math.max(0.001, r.remindersMs / 1000)).toFixed(0)}/s); ${r.refused} calls answered 429`,
      ),
      figure(
        lead ? lead.share : null,
        lead
          ? `  the lead's DM, ${lead.messages} escalation messages in ${lead.seconds.toFixed(1)} s: ${(lead.share * 100).toFixed(0)} % of what 1 message/s after a burst of ${LIMIT.burst} allows`
          : "  the lead's DM had no more messages than a burst",
      ),
      figure(
        null,
        owners.length > 0
          ? `  owners' DMs (${owners.length} with more than a burst, ${owners.map((b) => b.messages).join('/')} status prompts): each done within ${Math.max(...owners.map((b) => b.seconds)).toFixed(1)} s`
          : "  no owner's DM had more messages than a burst",
      ),
      figure(
        null,
        `  database queries: planning ${r.planQueries} (${r.planMs.toFixed(0)} ms), sending ${r.sendQueries} (${(r.sendQueries / Math.max(1, r.sent)).toFixed(3)} per message)`,
      ),
    );
  }
  if (results.length === 2) {
    const [small, large] = results as [SweepFigures, SweepFigures];
    figures.push(
      figure(
        large.planQueries / small.planQueries,
        `planning queries for ${large.engagements} vs ${small.engagements} engagements: ${large.planQueries} vs ${small.planQueries} (the difference: one outbox insert per 1,000 messages)`,
      ),
    );
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const count = args.includes('--engagements') ? Number(args[args.indexOf('--engagements') + 1]) : 2000;
  const figures = await bench({ engagements: count, embedded: args.includes('--embedded') });
  for (const f of figures)
    console.log(`${f.ratio === null ? '   -  ' : f.ratio.toFixed(2).padStart(6)}  ${f.text}`);
  process.exit(0);
}
