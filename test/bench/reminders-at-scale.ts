// Reminders on time for a thousand teams: 1,000 teams with 10 active engagements each, every team's
// reminder time 09:00 in one of ten time zones, and a Slack that answers every Web API call after
// 150 ms, paces each channel (1 message/s after a burst of 3, the emulator's limit) and caps the
// whole workspace (a delaying proxy in front of the emulator, here). Each zone's 09:00 is one tick
// of the reminders job; its figure is the latest reminder's delay after the tick began, against the
// 60 s within which every reminder must be posted. The zones' ticks alternate between one replica
// and three (three runJob calls at once, each with its own pool and client, as three processes
// would), and nothing may be lost or posted twice.
//
//   npx tsx test/bench/reminders-at-scale.ts                       # also a suite of `npm run bench`
//   SCALE_TEAMS=100 SCALE_ZONES=4 npx tsx test/bench/reminders-at-scale.ts   # smaller
//
// Postgres at BENCH_DATABASE_URL / TEST_DATABASE_URL (default the local cluster).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { webApi } from '@slack/bolt';
import { sql } from 'kysely';
import pg from 'pg';
import { connectPostgres, type DatabaseHandle } from '../../src/db/connect.js';
import { updateTeam } from '../../src/db/teams.js';
import { addToRotation } from '../../src/flows/manage-team.js';
import { recognizePerson } from '../../src/flows/set-up-team.js';
import { calendarOf } from '../../src/flows/context.js';
import { runJob } from '../../src/jobs/schedule.js';
import { createLogger } from '../../src/logger.js';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { slackDelivery } from '../../src/slack/delivery.js';
import { insertActiveEngagements } from '../jobs/bulk.js';
import { figure, freshPostgres, type Figure } from './support.js';

const TEAMS = Number(process.env.SCALE_TEAMS ?? 1000);
const PER_TEAM = 10;
/** Zones whose 09:00 on Monday 7 December 2026 falls at ten different moments. */
const ZONES = [
  'Pacific/Auckland',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Europe/Helsinki',
  'Europe/Berlin',
  'UTC',
  'America/Sao_Paulo',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
].slice(0, Number(process.env.SCALE_ZONES ?? 10));
const DAY = '2026-12-07';
const LATENCY_MS = 150;
const CHANNEL_LIMIT = { perSecond: 1, burst: 3 };
/** The workspace-wide cap on chat.postMessage: Slack publishes none; this one is generous but real. */
const WORKSPACE_LIMIT = { perSecond: 50, burst: 50 };
const WITHIN_MS = 60_000;
const LEAD = 'U0LEAD';
const OWNERS = Array.from({ length: 10 }, (_, i) => `U${String(i + 1).padStart(3, '0')}`);

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

/**
 * Slack as a team meets it from far away: every Web API call answered after `LATENCY_MS`, and
 * chat.postMessage refused with a 429 and Retry-After once the workspace's bucket is empty.
 */
async function slowSlack(
  target: string,
): Promise<{ url: string; refused: () => number; close(): Promise<void> }> {
  let tokens = WORKSPACE_LIMIT.burst;
  let filledAt = performance.now();
  let refused = 0;
  const take = (): boolean => {
    const now = performance.now();
    tokens = Math.min(WORKSPACE_LIMIT.burst, tokens + ((now - filledAt) / 1000) * WORKSPACE_LIMIT.perSecond);
    filledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
        const method = (req.url ?? '').split('?')[0]!.split('/').pop();
        if (method === 'chat.postMessage' && !take()) {
          refused++;
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        const answer = await fetch(`${target}${(req.url ?? '').replace(/^\//, '')}`, {
          method: req.method ?? 'POST',
          headers,
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        const out: Record<string, string> = {};
        answer.headers.forEach((v, k) => {
          if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'content-encoding') out[k] = v;
        });
        res.writeHead(answer.status, out);
        res.end(Buffer.from(await answer.arrayBuffer()));
      })().catch(() => {
        res.writeHead(502);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    refused: () => refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const teamId = (n: number) => `T${String(n).padStart(4, '0')}`;

async function seed(db: DatabaseHandle['db']): Promise<Map<string, string[]>> {
  const channelsByZone = new Map<string, string[]>();
  for (let n = 1; n <= TEAMS; n++) {
    const team = teamId(n);
    const zone = ZONES[(n - 1) % ZONES.length]!;
    const deps = {
      db,
      now: () => new Date('2026-11-30T10:00:00Z'),
      defaults: { timeZone: zone, reminderTime: '09:00' },
    };
    await recognizePerson(deps, team, { userId: LEAD, name: 'Lee Lead', isWorkspaceAdmin: true });
    await addToRotation(
      deps,
      { teamId: team, userId: LEAD },
      OWNERS.map((id) => ({ userId: id, name: id.toLowerCase() })),
    );
    await updateTeam(db, team, { rotationChannelId: 'C0ROTATION', timeZone: zone, reminderTime: '09:00' });
    const channels = await insertActiveEngagements(db, {
      teamId: team,
      count: PER_TEAM,
      startsOn: DAY,
      owners: OWNERS,
      createdBy: LEAD,
      prefix: `${team}E`,
    });
    channelsByZone.set(zone, [...(channelsByZone.get(zone) ?? []), ...channels]);
  }
  await sql`analyze`.execute(db);
  return channelsByZone;
}

interface ZoneTick {
  zone: string;
  replicas: number;
  expected: number;
  posted: number;
  doubled: number;
  lost: number;
  latestMs: number;
  tickQueries: number;
}

export async function bench(): Promise<Figure[]> {
  countQueries();
  const database = await freshPostgres();
  const logger = createLogger({ level: 'silent' });
  const replicas: DatabaseHandle[] = [];
  let emulator: SlackEmulator | undefined;
  let proxy: Awaited<ReturnType<typeof slowSlack>> | undefined;
  try {
    const channelsByZone = await seed(database.db);
    emulator = await SlackEmulator.start({
      signingSecret: 'bench',
      rateLimit: CHANNEL_LIMIT,
      users: [LEAD, ...OWNERS].map((id) => ({ id, name: id.toLowerCase() })),
      channels: [
        { id: 'C0ROTATION', name: 'rotation' },
        ...[...channelsByZone.values()].flat().map((id) => ({ id, name: id.toLowerCase() })),
      ],
    });
    for (const person of [LEAD, ...OWNERS]) emulator.dmChannelFor(person);
    proxy = await slowSlack(emulator.apiUrl);
    for (let i = 0; i < 3; i++) replicas.push(await connectPostgres(database.url, 10));
    const clientFor = () => new webApi.WebClient(emulator!.identity.botToken, { slackApiUrl: proxy!.url });

    // A tick when no team is due (Sunday evening in UTC, before Auckland's Monday 09:00): what most
    // minutes of the day cost.
    const quiet = new Date('2026-12-06T19:17:00Z');
    queries = 0;
    await runJob('reminders', quiet, {
      db: replicas[0]!.db,
      deliver: slackDelivery(clientFor(), logger),
      logger,
      now: () => quiet,
    });
    const quietQueries = queries;

    const ticks: ZoneTick[] = [];
    for (const [index, zone] of ZONES.entries()) {
      const count = index % 2 === 0 ? 1 : 3;
      const at = calendarOf({ time_zone: zone, holiday_region: null, extra_holidays: [] }).instantAt(
        DAY as never,
        '09:00' as never,
      );
      const channels = new Set(channelsByZone.get(zone) ?? []);
      emulator.calls.length = 0;
      queries = 0;
      const started = Date.now();
      await Promise.all(
        replicas.slice(0, count).map((r) =>
          runJob('reminders', at, {
            db: r.db,
            deliver: slackDelivery(clientFor(), logger),
            logger,
            now: () => at,
          }),
        ),
      );
      const posts = emulator
        .callsTo('chat.postMessage')
        .filter((c) => c.status === 200 && channels.has(String(c.args.channel)));
      const perChannel = new Map<string, number>();
      for (const c of posts)
        perChannel.set(String(c.args.channel), (perChannel.get(String(c.args.channel)) ?? 0) + 1);
      ticks.push({
        zone,
        replicas: count,
        expected: channels.size,
        posted: posts.length,
        doubled: [...perChannel.values()].filter((n) => n > 1).length,
        lost: [...channels].filter((c) => !perChannel.has(c)).length,
        latestMs: Math.max(0, ...posts.map((c) => c.at - started)),
        tickQueries: queries,
      });
    }

    const worst = (list: ZoneTick[]) => Math.max(0, ...list.map((t) => t.latestMs));
    const one = ticks.filter((t) => t.replicas === 1);
    const three = ticks.filter((t) => t.replicas === 3);
    const lost = ticks.reduce((n, t) => n + t.lost, 0);
    const doubled = ticks.reduce((n, t) => n + t.doubled, 0);
    const posted = ticks.reduce((n, t) => n + t.posted, 0);
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    return [
      figure(
        worst(ticks) / WITHIN_MS,
        `reminders at scale: ${TEAMS} teams × ${PER_TEAM} engagements, 09:00 in ${ZONES.length} time zones, Slack answering ` +
          `after ${LATENCY_MS} ms, ${CHANNEL_LIMIT.perSecond}/s per channel (burst ${CHANNEL_LIMIT.burst}), ` +
          `${WORKSPACE_LIMIT.perSecond}/s across the workspace: the latest reminder ${s(worst(ticks))} after its team's minute ` +
          `(target within ${WITHIN_MS / 1000} s); ${posted} posted, ${lost} lost, ${doubled} posted twice; ` +
          `${proxy.refused()} answered 429 by the workspace limit`,
      ),
      figure(
        worst(three) / Math.max(1, worst(one)),
        `  three replicas vs one: latest reminder ${s(worst(three))} vs ${s(worst(one))} ` +
          `(zones ticked alternately by one and by three; target ≤ 1)`,
      ),
      figure(
        null,
        `  queries: a tick with no team due ${quietQueries}; a zone's tick (${TEAMS / ZONES.length} teams due) ` +
          `${ticks.map((t) => t.tickQueries).join(', ')}`,
      ),
    ];
  } finally {
    await proxy?.close();
    await emulator?.close();
    for (const r of replicas) await r.close();
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await bench())
    console.log(`${f.ratio === null ? '   -  ' : f.ratio.toFixed(2).padStart(6)}  ${f.text}`);
  process.exit(0);
}
