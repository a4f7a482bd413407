import { describe, expect, it } from 'vitest';
import { findMember, listTimeAway } from '../../src/db/members.js';
import { listEvents } from '../../src/db/events.js';
import { findTeam } from '../../src/db/teams.js';
import { addLeads, addToRotation, removeFromRotation, removeLeads } from '../../src/flows/manage-team.js';
import { recognizePerson } from '../../src/flows/set-up-team.js';
import { changeTeamSettings } from '../../src/flows/team-settings.js';
import { clearTimeAway, recordTimeAway } from '../../src/flows/time-away.js';
import { useTestDatabase } from '../support/db.js';
import { as, asLead, clock, expectOk, flowDeps, LEAD, seedTeam, TEAM } from '../support/builders.js';

const database = useTestDatabase();
const time = clock('2026-12-01T10:00:00Z');
const deps = () => flowDeps(database.db, time.now);

describe('the team', () => {
  it('makes workspace admins leads the first time they are seen, and nobody else', async () => {
    await recognizePerson(deps(), TEAM, { userId: LEAD, name: 'Lee', isWorkspaceAdmin: true });
    await recognizePerson(deps(), TEAM, { userId: 'U0DEV', name: 'Dev' });
    expect(await findMember(database.db, TEAM, LEAD)).toMatchObject({ is_lead: true, in_rotation: false });
    expect(await findMember(database.db, TEAM, 'U0DEV')).toMatchObject({ is_lead: false });
  });

  it('adds and removes people from the rotation, reporting who was already there', async () => {
    const people = await seedTeam(deps(), ['ana']);
    const added = expectOk(
      await addToRotation(deps(), asLead, [
        { userId: people.ana!, name: 'ana' },
        { userId: 'U0BO', name: 'bo' },
      ]),
    );
    expect(added.changed.map((p) => p.userId)).toEqual(['U0BO']);
    expect(added.unchanged.map((p) => p.userId)).toEqual([people.ana]);
    expectOk(await removeFromRotation(deps(), asLead, [{ userId: 'U0BO', name: 'bo' }]));
    expect(await findMember(database.db, TEAM, 'U0BO')).toMatchObject({ in_rotation: false });
  });

  it('makes a workspace admin a lead when a lead adds them to the rotation before they ever acted', async () => {
    await seedTeam(deps(), ['ana']);
    expectOk(
      await addToRotation(deps(), asLead, [{ userId: 'U0ADMIN', name: 'Ada', isWorkspaceAdmin: true }]),
    );
    expect(await findMember(database.db, TEAM, 'U0ADMIN')).toMatchObject({
      is_lead: true,
      in_rotation: true,
    });
  });

  it('lets only leads change the team or the leads', async () => {
    const people = await seedTeam(deps(), ['ana']);
    const person = [{ userId: 'U0BO', name: 'bo' }];
    expect(await addToRotation(deps(), as(people.ana!), person)).toMatchObject({
      ok: false,
      code: 'not-a-lead',
    });
    expect(await addLeads(deps(), as(people.ana!), person)).toMatchObject({ ok: false, code: 'not-a-lead' });
    expect(await findMember(database.db, TEAM, 'U0BO')).toBeUndefined();
  });

  it('keeps at least one lead', async () => {
    await seedTeam(deps(), ['ana']);
    expect(await removeLeads(deps(), asLead, [{ userId: LEAD, name: 'Lee' }])).toMatchObject({
      ok: false,
      code: 'last-lead',
    });
    expectOk(await addLeads(deps(), asLead, [{ userId: 'UANA', name: 'ana' }]));
    expectOk(await removeLeads(deps(), asLead, [{ userId: LEAD, name: 'Lee' }]));
    expect(await findMember(database.db, TEAM, LEAD)).toMatchObject({ is_lead: false });
  });

  it('validates team settings before changing anything', async () => {
    await seedTeam(deps(), ['ana']);
    expect(await changeTeamSettings(deps(), asLead, { timeZone: 'Mars/Olympus' })).toMatchObject({
      ok: false,
      code: 'bad-time-zone',
    });
    expect(await changeTeamSettings(deps(), asLead, { reminderTime: '9am' })).toMatchObject({
      ok: false,
      code: 'bad-time',
    });
    const changed = expectOk(
      await changeTeamSettings(deps(), asLead, { timeZone: 'Europe/Berlin', holidayRegion: 'DE-BE' }),
    );
    expect(await findTeam(database.db, TEAM)).toMatchObject({
      time_zone: 'Europe/Berlin',
      holiday_region: 'DE-BE',
    });
    expect(changed.team).toMatchObject({ timeZone: 'Europe/Berlin', holidayRegion: 'DE-BE' });
  });
});

describe('time away', () => {
  it('records your own time away, and a lead may record anyone', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    expectOk(
      await recordTimeAway(deps(), as(people.ana!), {
        userId: people.ana!,
        startsOn: '2026-12-10',
        endsOn: '2026-12-12',
      }),
    );
    expectOk(
      await recordTimeAway(deps(), asLead, {
        userId: people.ben!,
        startsOn: '2026-12-14',
        endsOn: '2026-12-14',
      }),
    );
    expect(
      await recordTimeAway(deps(), as(people.ana!), {
        userId: people.ben!,
        startsOn: '2026-12-20',
        endsOn: '2026-12-21',
      }),
    ).toMatchObject({
      ok: false,
      code: 'not-a-lead',
    });
    expect(await listTimeAway(database.db, TEAM, '2026-12-01', '2026-12-31')).toHaveLength(2);
  });

  it.each([
    ['dates out of order', '2026-12-12', '2026-12-10', 'dates-out-of-order'],
    ['a malformed date', '2026-13-01', '2026-12-10', 'bad-date'],
    ['time away already over', '2026-11-01', '2026-11-02', 'in-the-past'],
  ])('refuses %s', async (_case, startsOn, endsOn, code) => {
    const people = await seedTeam(deps(), ['ana']);
    expect(
      await recordTimeAway(deps(), as(people.ana!), { userId: people.ana!, startsOn, endsOn }),
    ).toMatchObject({ ok: false, code });
  });

  it('back cancels time away from today on and keeps the days already away', async () => {
    const people = await seedTeam(deps(), ['ana']);
    time.set('2026-11-25T10:00:00Z');
    expectOk(
      await recordTimeAway(deps(), as(people.ana!), {
        userId: people.ana!,
        startsOn: '2026-11-30',
        endsOn: '2026-12-04',
      }),
    );
    expectOk(
      await recordTimeAway(deps(), as(people.ana!), {
        userId: people.ana!,
        startsOn: '2026-12-20',
        endsOn: '2026-12-24',
      }),
    );
    time.set('2026-12-02T10:00:00Z');
    expect(expectOk(await clearTimeAway(deps(), as(people.ana!), people.ana!))).toEqual({
      endedEarly: [{ startsOn: '2026-11-30', endsOn: '2026-12-04', nowEndsOn: '2026-12-01' }],
      cancelled: [{ startsOn: '2026-12-20', endsOn: '2026-12-24' }],
      standInsEnded: [],
      toSend: [],
    });
    const left = await listTimeAway(database.db, TEAM, '2026-11-01', '2026-12-31');
    expect(left.map((a) => [a.starts_on, a.ends_on])).toEqual([['2026-11-30', '2026-12-01']]);
  });

  it('back with no time away from today on changes nothing and records nothing', async () => {
    const people = await seedTeam(deps(), ['ana']);
    time.set('2026-11-25T10:00:00Z');
    expectOk(
      await recordTimeAway(deps(), as(people.ana!), {
        userId: people.ana!,
        startsOn: '2026-11-26',
        endsOn: '2026-11-27',
      }),
    );
    time.set('2026-12-02T10:00:00Z');
    const events = await listEvents(database.db, TEAM);
    expect(expectOk(await clearTimeAway(deps(), as(people.ana!), people.ana!))).toEqual({
      endedEarly: [],
      cancelled: [],
      standInsEnded: [],
      toSend: [],
    });
    expect(await listEvents(database.db, TEAM)).toEqual(events);
    const left = await listTimeAway(database.db, TEAM, '2026-11-01', '2026-12-31');
    expect(left.map((a) => [a.starts_on, a.ends_on])).toEqual([['2026-11-26', '2026-11-27']]);
  });
});
