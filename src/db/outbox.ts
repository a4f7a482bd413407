// The scheduled jobs' coordination tables: the outbox (every message a job sends goes through it) and
// the job marks (decisions a job takes once). Postgres is the coordinator between replicas: unique
// keys decide who writes, `FOR UPDATE SKIP LOCKED` decides who sends, and claims expire so a killed
// process's rows are picked up by the next sweep.
import { sql, type Selectable } from 'kysely';
import { CLIENT_SAFE_KINDS } from '../domain/channels.js';
import type { Db } from './connect.js';
import type { OutboxRow } from './schema.js';

// ---- job marks ---------------------------------------------------------------------------------

/**
 * Takes marks for a team; returns the ones this call took (the others were taken before). Inside a
 * transaction, a mark another transaction is taking makes this wait for it: that wait is what lets
 * only one replica plan a team's day.
 */
export async function takeMarks(db: Db, teamId: string, marks: readonly string[]): Promise<string[]> {
  if (marks.length === 0) return [];
  const taken = await db
    .insertInto('job_marks')
    .values(marks.map((mark) => ({ team_id: teamId, mark, at: sql<Date>`now()` })))
    .onConflict((oc) => oc.columns(['team_id', 'mark']).doNothing())
    .returning('mark')
    .execute();
  return taken.map((t) => t.mark);
}

/** Which of these (team, mark) pairs are taken, as `team/mark` strings: a cheap look before planning. */
export async function takenMarks(
  db: Db,
  pairs: readonly { teamId: string; mark: string }[],
): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await db
    .selectFrom('job_marks')
    .select(['team_id', 'mark'])
    .where((eb) => eb.or(pairs.map((p) => eb.and([eb('team_id', '=', p.teamId), eb('mark', '=', p.mark)]))))
    .execute();
  return new Set(rows.map((r) => `${r.team_id}/${r.mark}`));
}

export async function dropMark(db: Db, teamId: string, mark: string): Promise<void> {
  await db.deleteFrom('job_marks').where('team_id', '=', teamId).where('mark', '=', mark).execute();
}

// ---- writing --------------------------------------------------------------------------------------

export interface NewOutboxRow {
  teamId: string;
  key: string;
  kind: string;
  channelId: string;
  engagementId: string | null;
  /** Anything JSON can carry. */
  payload: object;
}

// Postgres takes at most 65,535 parameters per statement; 7 per row leaves ample room at 1,000.
const INSERT_CHUNK = 1000;

/**
 * Writes rows that are not there yet (same team and key: nothing happens); returns how many were new.
 * They are due at once; `created_at` and `not_before` use the database's clock, like every claim.
 */
export async function enqueue(db: Db, rows: readonly NewOutboxRow[]): Promise<number> {
  let written = 0;
  const withheld = await readByClients(db, rows);
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const inserted = await db
      .insertInto('outbox')
      .values(
        rows.slice(i, i + INSERT_CHUNK).map((r) => ({
          team_id: r.teamId,
          idempotency_key: r.key,
          kind: r.kind,
          channel_id: r.channelId,
          engagement_id: r.engagementId,
          payload: JSON.stringify(r.payload),
          not_before: sql<Date>`now()`,
          created_at: sql<Date>`now()`,
          ...(withheld.has(`${r.teamId}/${r.channelId}`) && !CLIENT_SAFE_KINDS.has(r.kind)
            ? { status: 'failed' as const, last_error: WITHHELD }
            : {}),
        })),
      )
      .onConflict((oc) => oc.columns(['team_id', 'idempotency_key']).doNothing())
      .returning('id')
      .execute();
    written += inserted.length;
  }
  return written;
}

const WITHHELD = 'withheld: a client can read this channel, and the message is internal';

/**
 * The one guard between Steward's messages and a client's eyes. Every message goes through the
 * outbox, so every message passes here: one addressed to a channel a client can read (an
 * engagement's client channel, an engagement channel found shared, or any channel Slack said was
 * shared later) is kept as a failed row with the reason, never sent, unless its kind was written
 * for the client. Returns those channels, as `team/channel`, among the rows' (DMs are never a
 * client's).
 */
async function readByClients(db: Db, rows: readonly NewOutboxRow[]): Promise<Set<string>> {
  const channels = rows.filter((r) => /^[CG]/.test(r.channelId) && !CLIENT_SAFE_KINDS.has(r.kind));
  if (channels.length === 0) return new Set();
  const teams = [...new Set(channels.map((r) => r.teamId))];
  const ids = [...new Set(channels.map((r) => r.channelId))];
  const found = await db
    .selectFrom('engagements')
    .select(['team_id', 'client_channel_id', 'channel_id', 'channel_shared'])
    .where('team_id', 'in', teams)
    .where((eb) =>
      eb.or([
        eb('client_channel_id', 'in', ids),
        eb.and([eb('channel_shared', '=', true), eb('channel_id', 'in', ids)]),
      ]),
    )
    .execute();
  const seen = new Set<string>();
  for (const e of found) {
    if (e.client_channel_id) seen.add(`${e.team_id}/${e.client_channel_id}`);
    if (e.channel_shared) seen.add(`${e.team_id}/${e.channel_id}`);
  }
  const sharedLater = await db
    .selectFrom('shared_channels')
    .select(['team_id', 'channel_id'])
    .where('team_id', 'in', teams)
    .where('channel_id', 'in', ids)
    .execute();
  for (const c of sharedLater) seen.add(`${c.team_id}/${c.channel_id}`);
  return seen;
}

/**
 * What waits to be sent to a channel that has just become readable by a client is held as the guard
 * would have held it, had it known: kept as failed rows with the reason. Returns how many.
 */
export async function withholdPending(db: Db, teamId: string, channelId: string): Promise<number> {
  const held = await db
    .updateTable('outbox')
    .set({ status: 'failed', last_error: WITHHELD, claimed_until: null, claimed_by: null })
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .where('status', '=', 'pending')
    .where('kind', 'not in', [...CLIENT_SAFE_KINDS])
    .returning('id')
    .execute();
  return held.length;
}

/**
 * Messages of these kinds still waiting for an engagement that no longer say what is true (an owner's
 * DM after the owner changed) are settled as failed with the reason, never sent. Returns how many.
 */
export async function dropPending(
  db: Db,
  engagementId: string,
  kinds: readonly string[],
  reason: string,
): Promise<number> {
  const dropped = await db
    .updateTable('outbox')
    .set({ status: 'failed', last_error: reason, claimed_until: null, claimed_by: null })
    .where('engagement_id', '=', engagementId)
    .where('status', '=', 'pending')
    .where('kind', 'in', kinds)
    .returning('id')
    .execute();
  return dropped.length;
}

/** A row named by its team and idempotency key. */
export interface OutboxKey {
  readonly teamId: string;
  readonly key: string;
}

/** Restricts a query to these rows (all rows when not given). */
const onlyThese = (only: readonly OutboxKey[] | undefined) =>
  only === undefined
    ? sql<boolean>`true`
    : only.length === 0
      ? sql<boolean>`false`
      : sql<boolean>`(team_id, idempotency_key) in (${sql.join(only.map((k) => sql`(${k.teamId}, ${k.key})`))})`;

/** These rows as they stand (to tell a listener what became of the ones it asked to send). */
export async function findOutboxRows(db: Db, keys: readonly OutboxKey[]): Promise<OutboxRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('outbox').selectAll().where(onlyThese(keys)).orderBy('id').execute();
}

// ---- sending --------------------------------------------------------------------------------------

export type ClaimedRow = OutboxRow & {
  /** An earlier attempt may have reached Slack: look for the message before posting again. */
  inDoubt: boolean;
  /** When that earlier attempt began (null unless in doubt). */
  doubtSince: Date | null;
};

/**
 * Claims up to `limit` due rows for `claimant` until the lease runs out. Rows another sweep holds are
 * skipped, not waited for; rows whose claim expired (their sweep died) are due again. The claim
 * counts as an attempt and starts `sending_since` unless an earlier attempt left it set.
 */
export async function claimDue(
  db: Db,
  claim: { claimant: string; limit: number; leaseMs: number; only?: readonly OutboxKey[] | undefined },
): Promise<ClaimedRow[]> {
  const result = await sql<Selectable<OutboxRow> & { in_doubt: boolean; doubt_since: Date | null }>`
    with picked as (
      select id, sending_since
      from outbox
      where status = 'pending'
        and ${onlyThese(claim.only)}
        and not_before <= clock_timestamp()
        and (claimed_until is null or claimed_until < clock_timestamp())
      order by not_before, id
      limit ${claim.limit}
      for update skip locked
    )
    update outbox o
    set claimed_by = ${claim.claimant},
        claimed_until = clock_timestamp() + ${claim.leaseMs} * interval '1 millisecond',
        attempts = o.attempts + 1,
        sending_since = coalesce(o.sending_since, clock_timestamp())
    from picked
    where o.id = picked.id
    returning o.*, picked.sending_since is not null as in_doubt, picked.sending_since as doubt_since`.execute(
    db,
  );
  return result.rows
    .map(({ in_doubt, doubt_since, ...row }) => ({ ...row, inDoubt: in_doubt, doubtSince: doubt_since }))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/** Extends the lease on everything `claimant` still holds: a long sweep keeps its rows. */
export async function renewClaims(db: Db, claimant: string, leaseMs: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ claimed_until: sql<Date>`clock_timestamp() + ${leaseMs} * interval '1 millisecond'` })
    .where('claimed_by', '=', claimant)
    .where('status', '=', 'pending')
    .execute();
}

/** What became of one claimed row. */
export type Outcome =
  | { id: string; kind: 'sent'; ts: string }
  /** Not sent; try again after `delayMs`. `attempted: false` gives the attempt back (never tried). */
  | {
      id: string;
      kind: 'retry';
      delayMs: number;
      attempted: boolean;
      /** Slack may have the message: keep `sending_since` so the next claimer looks first. */
      inDoubt: boolean;
      error: string | null;
    }
  | { id: string; kind: 'failed'; error: string };

/**
 * Records outcomes in one statement. Only rows `claimant` still holds are touched: if its lease ran
 * out and another sweep took a row over, that sweep's word counts.
 */
export async function settle(db: Db, claimant: string, outcomes: readonly Outcome[]): Promise<number> {
  if (outcomes.length === 0) return 0;
  const values = outcomes.map((o) => {
    const status = o.kind === 'sent' ? 'sent' : o.kind === 'failed' ? 'failed' : 'pending';
    const ts = o.kind === 'sent' ? o.ts : null;
    const delay = o.kind === 'retry' ? Math.max(0, Math.round(o.delayMs)) : null;
    const keepDoubt = o.kind === 'retry' && o.inDoubt;
    const giveBack = o.kind === 'retry' && !o.attempted ? 1 : 0;
    const error = o.kind === 'sent' ? null : o.error;
    return sql`(${o.id}::bigint, ${status}::text, ${ts}::text, ${delay}::integer, ${keepDoubt}::boolean, ${giveBack}::integer, ${error}::text)`;
  });
  const result = await sql`
    update outbox o
    set status = v.status,
        message_ts = coalesce(v.message_ts, o.message_ts),
        sent_at = case when v.status = 'sent' then clock_timestamp() else o.sent_at end,
        not_before = case when v.delay_ms is null then o.not_before
                          else clock_timestamp() + v.delay_ms * interval '1 millisecond' end,
        claimed_by = null,
        claimed_until = null,
        sending_since = case when v.keep_doubt then o.sending_since else null end,
        attempts = o.attempts - v.give_back,
        last_error = v.last_error
    from (values ${sql.join(values)}) as v(id, status, message_ts, delay_ms, keep_doubt, give_back, last_error)
    where o.id = v.id and o.claimed_by = ${claimant}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * When the sweep should look again: milliseconds until the next pending row comes due (0: now), counting
 * only rows due within `horizonMs`; null when there are none. With `othersClaims`, rows other sweeps
 * hold count too, from their lease's end (by then they are sent, or their sweep died and they are due
 * again), and `othersHold` says so: such a row may well be settled long before.
 */
export async function nextClaimableIn(
  db: Db,
  options: { horizonMs: number; othersClaims: boolean; only?: readonly OutboxKey[] | undefined },
): Promise<{ waitMs: number; othersHold: boolean } | null> {
  const due = sql`greatest(not_before, coalesce(claimed_until, not_before))`;
  const result = await sql<{ wait_ms: number | null; others_hold: boolean | null }>`
    select (extract(epoch from (min(${due}) - clock_timestamp())) * 1000)::float8 as wait_ms,
           bool_or(claimed_until is not null) as others_hold
    from outbox
    where status = 'pending'
      and ${onlyThese(options.only)}
      and (${options.othersClaims} or claimed_until is null)
      and ${due} <= clock_timestamp() + ${options.horizonMs} * interval '1 millisecond'`.execute(db);
  const row = result.rows[0];
  if (!row || row.wait_ms === null) return null;
  return { waitMs: Math.max(0, Number(row.wait_ms)), othersHold: row.others_hold === true };
}

export async function listOutbox(db: Db, teamId?: string): Promise<OutboxRow[]> {
  let query = db.selectFrom('outbox').selectAll();
  if (teamId !== undefined) query = query.where('team_id', '=', teamId);
  return query.orderBy('id').execute();
}

/** An engagement's messages of one kind that reached Slack, oldest first, with where they are. */
export async function listSentMessages(
  db: Db,
  engagementId: string,
  kind: string,
): Promise<Pick<OutboxRow, 'team_id' | 'idempotency_key' | 'channel_id' | 'message_ts' | 'payload'>[]> {
  return db
    .selectFrom('outbox')
    .select(['team_id', 'idempotency_key', 'channel_id', 'message_ts', 'payload'])
    .where('engagement_id', '=', engagementId)
    .where('kind', '=', kind)
    .where('status', '=', 'sent')
    .where('message_ts', 'is not', null)
    .orderBy('id')
    .execute();
}

/** The team's escalation DMs that reached Slack and name the engagement among their items. */
export async function listSentEscalationsNaming(
  db: Db,
  teamId: string,
  engagementId: string,
): Promise<Pick<OutboxRow, 'idempotency_key' | 'channel_id' | 'message_ts' | 'payload'>[]> {
  const naming = JSON.stringify([{ engagement: { id: engagementId } }]);
  return db
    .selectFrom('outbox')
    .select(['idempotency_key', 'channel_id', 'message_ts', 'payload'])
    .where('team_id', '=', teamId)
    .where('kind', '=', 'escalation')
    .where('status', '=', 'sent')
    .where('message_ts', 'is not', null)
    .where(sql<boolean>`payload -> 'message' -> 'items' @> ${naming}::jsonb`)
    .orderBy('id')
    .execute();
}

/** The team's messages of one kind that reached Slack and belong to no engagement (the rotation channel's). */
export async function listSentTeamMessages(
  db: Db,
  teamId: string,
  kind: string,
): Promise<Pick<OutboxRow, 'idempotency_key' | 'channel_id' | 'message_ts' | 'payload'>[]> {
  return db
    .selectFrom('outbox')
    .select(['idempotency_key', 'channel_id', 'message_ts', 'payload'])
    .where('team_id', '=', teamId)
    .where('engagement_id', 'is', null)
    .where('kind', '=', kind)
    .where('status', '=', 'sent')
    .where('message_ts', 'is not', null)
    .orderBy('id')
    .execute();
}
