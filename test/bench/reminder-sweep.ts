// The daily reminder sweep at scale, against the Slack emulator enforcing Slack's per-channel limit on
// chat.postMessage (1 message/s, bursts of 3): how long it takes next to the limit's lower bound, how
// many 429s it meets and whether every one was handled, and how many database queries it makes (they
// must not grow with the engagements).
//
//   npx tsx test/bench/reminder-sweep.ts                 # the suite of `npm run bench`
//   npx tsx test/bench/reminder-sweep.ts --embedded      # the same on the embedded database
//
// Postgres at BENCH_DATABASE_URL / TEST_DATABASE_URL (default the local cluster). Each sweep gets a
// fresh database; planning (the outbox rows) and sending (runJob's sweep) are timed and counted apart.
//
// Two shapes:
// - shared channels: 10,000 active engagements over 2,000 channels, 5 per channel, all starting
//   today, so each gets one reminder in its channel: 5 messages per channel, of which the limit lets
//   3 through at once and the other 2 at 1/s, so no sweep can finish in under 2 s. A team has at most
//   one open engagement per channel (a unique index says so), so the 5 per channel are 5 teams (the
//   workspaces of one Enterprise Grid, sharing the channels) with 2,000 each. Run at 2,000 engagements
//   too (5 teams × 400, 400 channels) to show the queries side by side, and at 10,000 without the limit
//   to show what the sending costs by itself on this machine.
// - one team, 2,000 engagements each in its own channel, 5 % of them late: the lead's DM gets 30
//   escalation messages, one channel far over the burst, where the pacing shows.
import { pathToFileURL } from 'node:url';
import { webApi } from '@slack/bolt';
import { sql } from 'kysely';
import pg from 'pg';
import { slackDelivery } from '../../src/slack/delivery.js';
import type { DatabaseHandle, Db } from '../../src/db/connect.js';
import { listOutbox } from '../../src/db/outbox.js';
import { updateTeam } from '../../src/db/teams.js';
import { addToRotation } from '../../src/flows/manage-team.js';
import { recognizePerson } from '../../src/flows/set-up-team.js';
import { planRemindersTick } from '../../src/jobs/reminders.js';
import { runJob } from '../../src/jobs/schedule.js';
import { createLogger } from '../../src/logger.js';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { insertActiveEngagements } from '../jobs/bulk.js';
import { figure, freshEmbedded, freshPostgres, percentile, type Figure } from './support.js';

export const LEAD = 'U0LEAD';
export const OWNERS = Array.from({ length: 20 }, (_, i) => `U${String(i + 1).padStart(3, '0')}`);
/** The tick's moment: a Monday, the reminder time of teams in UTC. */
export const TICK = '2026-12-07T09:00:00Z';
const LIMIT = { perSecond: 1, burst: 3 };
const TEAMS_SHARING = 5;
const TARGET = 1.1;

// Every query any pg client in this process sends (the app's pool, whichever database): the sweep's
// round trips, transactions' begin and commit included. Installed by bench(), not on import.
let queries = 0;
let counting = false;
function countQueries(): void {
  if (counting) return;
  counting = true;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    queries++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
}

interface Shape {
  /** Teams, each with `perTeam` engagements in channels C<prefix>1…: the same channels in every team. */
  readonly teams: number;
  readonly perTeam: number;
  /** Share of each team's engagements that started ten business days ago (escalations, status prompts). */
  readonly late: number;
  readonly limited: boolean;
}

interface ChannelPace {
  readonly channel: string;
  readonly messages: number;
  /** First to last post, s. */
  readonly seconds: number;
  /** What the limit allows at best: the messages beyond the burst at its rate, s. */
  readonly bound: number;
}

interface Sweep {
  readonly shape: Shape;
  readonly engagements: number;
  readonly planQueries: number;
  readonly planMs: number;
  readonly sendQueries: number;
  readonly sendMs: number;
  readonly sent: number;
  /** Calls the emulator answered 429. */
  readonly refused: number;
  /** Rows the sender deferred after a 429. */
  readonly rateLimited: number;
  /** Outbox rows not sent at the end (a 429 not handled would leave one). */
  readonly unsent: number;
  readonly channels: readonly ChannelPace[];
  /** The lead's DM with the bot. */
  readonly leadDm: string;
}

/**
 * A team with a lead, 20 owners and `perTeam` active engagements in channels C<prefix><number>: most
 * start on the tick's day (a reminder each), a `late` share ten business days before.
 */
export async function seedTeam(
  db: Db,
  teamId: string,
  shape: Pick<Shape, 'perTeam' | 'late'>,
): Promise<string[]> {
  const deps = {
    db,
    now: () => new Date('2026-11-30T10:00:00Z'),
    defaults: { timeZone: 'UTC', reminderTime: '09:00' },
  };
  await recognizePerson(deps, teamId, { userId: LEAD, name: 'Lee Lead', isWorkspaceAdmin: true });
  await addToRotation(
    deps,
    { teamId, userId: LEAD },
    OWNERS.map((id) => ({ userId: id, name: id.toLowerCase() })),
  );
  await updateTeam(db, teamId, { rotationChannelId: 'C0ROTATION' });
  const late = Math.round(shape.perTeam * shape.late);
  const common = { teamId, owners: OWNERS, createdBy: LEAD };
  return [
    ...(await insertActiveEngagements(db, {
      ...common,
      count: shape.perTeam - late,
      startsOn: '2026-12-07',
      prefix: 'NEW',
    })),
    ...(await insertActiveEngagements(db, {
      ...common,
      count: late,
      startsOn: '2026-11-23',
      prefix: 'LATE',
    })),
  ];
}

async function sweep(database: DatabaseHandle, shape: Shape): Promise<Sweep> {
  const { db } = database;
  const logger = createLogger({ level: 'silent' });
  const channels = new Set<string>();
  for (let t = 1; t <= shape.teams; t++) {
    for (const channel of await seedTeam(db, `T${String(t).padStart(4, '0')}`, shape)) channels.add(channel);
  }
  await sql`analyze`.execute(db);
  const emulator = await SlackEmulator.start({
    signingSecret: 'bench',
    ...(shape.limited ? { rateLimit: LIMIT } : {}),
    users: [LEAD, ...OWNERS].map((id) => ({ id, name: id.toLowerCase() })),
    channels: [
      { id: 'C0ROTATION', name: 'rotation' },
      ...[...channels].map((id) => ({ id, name: id.toLowerCase() })),
    ],
  });
  // The DMs exist before the sweep, as they do after a team's first day: the emulator would otherwise
  // count a person's first message against a bucket of its own.
  for (const person of [LEAD, ...OWNERS]) emulator.dmChannelFor(person);
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
    // The planning is done: this tick finds every team planned, and sends.
    const report = await runJob('reminders', at, {
      db,
      deliver: slackDelivery(client, logger),
      logger,
      now: () => at,
    });
    const sendQueries = queries;
    const sendMs = performance.now() - started;

    const unsent = (await listOutbox(db)).filter((r) => r.status !== 'sent').length;
    const calls = emulator.callsTo('chat.postMessage');
    const byChannel = new Map<string, number[]>();
    for (const c of calls) {
      if (c.status !== 200) continue;
      const channel = String(c.response.channel ?? c.args.channel);
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), c.at]);
    }
    return {
      shape,
      engagements: shape.teams * shape.perTeam,
      planQueries,
      planMs,
      sendQueries,
      sendMs,
      sent: report.sending.sent,
      refused: calls.filter((c) => c.status === 429).length,
      rateLimited: report.sending.rateLimited,
      unsent,
      channels: [...byChannel.entries()].map(([channel, at]) => ({
        channel,
        messages: at.length,
        seconds: (at.at(-1)! - at[0]!) / 1000,
        bound: Math.max(0, at.length - LIMIT.burst) / LIMIT.perSecond,
      })),
      leadDm: emulator.dmChannelFor(LEAD),
    };
  } finally {
    await emulator.close();
  }
}

async function measure(shape: Shape, embedded: boolean): Promise<Sweep> {
  const database = embedded ? await freshEmbedded() : await freshPostgres();
  try {
    return await sweep(database, shape);
  } finally {
    await database.close();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perMessage = (r: Sweep) => (r.sendQueries / Math.max(1, r.sent)).toFixed(3);
/** The limit's lower bound for the whole sweep: its busiest channel's. */
const boundOf = (r: Sweep) => Math.max(0, ...r.channels.map((c) => c.bound));

export async function bench(options: { embedded?: boolean } = {}): Promise<Figure[]> {
  countQueries();
  const embedded = options.embedded ?? false;
  const where = embedded ? 'embedded' : 'Postgres';
  const shared = (perTeam: number, limited: boolean): Shape => ({
    teams: TEAMS_SHARING,
    perTeam,
    late: 0,
    limited,
  });
  const large = await measure(shared(2000, true), embedded);
  const free = await measure(shared(2000, false), embedded);
  const small = await measure(shared(400, true), embedded);
  const mixed = await measure({ teams: 1, perTeam: 2000, late: 0.05, limited: true }, embedded);

  const figures: Figure[] = [];
  const bound = boundOf(large);
  const paces = large.channels
    .filter((c) => c.bound > 0)
    .map((c) => c.seconds)
    .sort((a, b) => a - b);
  figures.push(
    figure(
      large.sendMs / 1000 / bound,
      `reminder sweep, ${large.engagements} engagements over ${large.channels.length} channels ` +
        `(${TEAMS_SHARING} per channel; ${where}), ${LIMIT.perSecond} message/s per channel after a burst of ${LIMIT.burst}: ` +
        `${large.sent} messages in ${s(large.sendMs)} against the limit's lower bound of ${bound.toFixed(1)} s ` +
        `(target ≤ ${TARGET}); ${large.refused} answered 429, ${large.unsent} left unsent; ` +
        `${large.planQueries + large.sendQueries} queries`,
    ),
    figure(
      large.sendMs / Math.max(free.sendMs, bound * 1000),
      `  the same sweep without the limit: ${s(free.sendMs)} (${((free.sent / free.sendMs) * 1000).toFixed(0)} messages/s, ` +
        `the sweep and the emulator sharing one process; ratio: with the limit / without): the sending speed, ` +
        `not the limit, bounds it here; ` +
        `each channel's 5 messages spread over p50 ${percentile(paces, 50).toFixed(1)} s, max ${(paces.at(-1) ?? 0).toFixed(1)} s`,
    ),
    figure(
      (large.planQueries + large.sendQueries) / (small.planQueries + small.sendQueries),
      `  queries for ${large.engagements} vs ${small.engagements} engagements: planning ${large.planQueries} vs ${small.planQueries} ` +
        `(${s(large.planMs)} vs ${s(small.planMs)}), sending ${large.sendQueries} vs ${small.sendQueries} ` +
        `(${perMessage(large)} vs ${perMessage(small)} per message: a claim per 200 rows, a settlement per 100)`,
    ),
  );

  const lead = mixed.channels.find((c) => c.channel === mixed.leadDm);
  const owners = mixed.channels.filter((c) => c.bound > 0 && c !== lead);
  figures.push(
    figure(
      lead ? lead.seconds / lead.bound : null,
      lead
        ? `reminder sweep, ${mixed.engagements} engagements each in its own channel, 5 % late (${where}): ` +
            `the lead's DM got ${lead.messages} escalation messages in ${lead.seconds.toFixed(1)} s, ` +
            `the limit's lower bound ${lead.bound.toFixed(1)} s (target ≤ ${TARGET}); ` +
            `${mixed.sent} messages in ${s(mixed.sendMs)}; ${mixed.refused} answered 429 (${mixed.rateLimited} deferred by the sender), ` +
            `${mixed.unsent} left unsent; owners' DMs (${owners.length} with more than a burst) each done within ` +
            `${Math.max(0, ...owners.map((c) => c.seconds)).toFixed(1)} s (bound ${Math.max(0, ...owners.map((c) => c.bound)).toFixed(1)} s)`
        : `reminder sweep, ${mixed.engagements} engagements, 5 % late: the lead's DM had no more messages than a burst`,
    ),
  );
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await bench({ embedded: process.argv.includes('--embedded') });
  for (const f of figures)
    console.log(`${f.ratio === null ? '   -  ' : f.ratio.toFixed(2).padStart(6)}  ${f.text}`);
  process.exit(0);
}
