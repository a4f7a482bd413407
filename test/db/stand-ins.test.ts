import { describe, expect, it } from 'vitest';
import { standInsOverlapping } from '../../src/db/report.js';
import { endStandInsFor, recordStandIn, standInsBetween } from '../../src/db/stand-ins.js';
import { ensureTeam } from '../../src/flows/set-up-team.js';
import { useTestDatabase } from '../support/db.js';
import { DEFAULTS, TEAM } from '../support/builders.js';

const database = useTestDatabase();

async function seedEngagement(): Promise<string> {
  const { db } = database;
  const team = await ensureTeam(db, { id: TEAM }, DEFAULTS);
  const template = await db
    .selectFrom('plan_templates')
    .select('id')
    .where('team_id', '=', team.id)
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto('engagements')
    .values({
      team_id: TEAM,
      number: 1,
      client_name: 'Globex',
      channel_id: 'C1',
      rotation_channel_id: 'CROT',
      starts_on: '2026-12-01',
      ends_on: '2026-12-29',
      template_id: template.id,
      owner_id: 'UA',
      status: 'active',
      created_by: 'UA',
      created_at: new Date('2026-11-30T00:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('stand-ins in the database', () => {
  it('are found by the days they cover, and end when the owner is back early', async () => {
    const { db } = database;
    const engagementId = await seedEngagement();
    const cover = {
      engagementId,
      ownerId: 'UA',
      standInId: 'UB',
      startsOn: '2026-12-08',
      endsOn: '2026-12-10',
    };
    await recordStandIn(db, TEAM, cover);
    expect(await standInsBetween(db, TEAM, '2026-12-10', '2026-12-11')).toEqual([cover]);
    expect(await standInsBetween(db, TEAM, '2026-12-11', '2026-12-14')).toEqual([]);
    // The report counts them as the stand-in's cover days, and ownership periods stay untouched.
    expect(await standInsOverlapping(db, TEAM, { from: '2026-12-01', to: '2026-12-31' })).toEqual([
      { userId: 'UB', startsOn: '2026-12-08', endsOn: '2026-12-10' },
    ]);
    expect(await db.selectFrom('ownership_periods').selectAll().execute()).toEqual([]);

    await endStandInsFor(db, TEAM, 'UA', '2026-12-09');
    expect(await standInsBetween(db, TEAM, '2026-12-01', '2026-12-31')).toEqual([
      { ...cover, endsOn: '2026-12-08' },
    ]);

    await endStandInsFor(db, TEAM, 'UA', '2026-12-08');
    expect(await standInsBetween(db, TEAM, '2026-12-01', '2026-12-31')).toEqual([]);
  });
});
