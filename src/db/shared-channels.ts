// Channels Slack said were shared outside the organisation after Steward began posting there. The
// outbox's guard reads them (src/db/outbox.ts); these record and forget them.
import type { Db } from './connect.js';

/** Remembers that a client can read this channel; true when it was not known before. */
export async function rememberSharedChannel(
  db: Db,
  teamId: string,
  channelId: string,
  at: Date,
): Promise<boolean> {
  const added = await db
    .insertInto('shared_channels')
    .values({ team_id: teamId, channel_id: channelId, shared_at: at })
    .onConflict((oc) => oc.columns(['team_id', 'channel_id']).doNothing())
    .returning('channel_id')
    .execute();
  return added.length > 0;
}

/** Forgets it (no outside organisation is left in it); true when it was known. */
export async function forgetSharedChannel(db: Db, teamId: string, channelId: string): Promise<boolean> {
  const removed = await db
    .deleteFrom('shared_channels')
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .returning('channel_id')
    .execute();
  return removed.length > 0;
}
