// Growth, end to end through the emulator: the fairness and exposure report (paged, private, as a
// CSV and a chart in the DM), what people ask of the rotation (prefer, pause), and App Home.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/db/events.js';
import { findMember } from '../../src/db/members.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { REPORT_PAGE_SIZE } from '../../src/slack/blocks/report.js';
import {
  buttonValue,
  mention,
  PEOPLE,
  setUpTeam,
  TEAM_ID,
  textOf,
  useHarness,
  type Harness,
} from '../support/app.js';

const harness = useHarness();

/** Past turns, straight into the history (one engagement each): [owner, first day, last day]. */
async function givePeriods(h: Harness, periods: readonly [string, string, string][]) {
  const template = await h.db
    .selectFrom('plan_templates')
    .select('id')
    .where('team_id', '=', TEAM_ID)
    .executeTakeFirstOrThrow();
  let number = 100;
  for (const [ownerId, startsOn, endsOn] of periods) {
    number += 1;
    const engagement = await h.db
      .insertInto('engagements')
      .values({
        team_id: TEAM_ID,
        number,
        client_name: `Client ${number}`,
        channel_id: `C0PAST${number}`,
        rotation_channel_id: 'C0ROTATION',
        starts_on: startsOn,
        ends_on: endsOn,
        template_id: template.id,
        owner_id: ownerId,
        status: 'closed',
        created_by: PEOPLE.lead,
        created_at: new Date('2026-01-01T00:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.db
      .insertInto('ownership_periods')
      .values({
        team_id: TEAM_ID,
        engagement_id: engagement.id,
        owner_id: ownerId,
        starts_on: startsOn,
        ends_on: endsOn,
      })
      .execute();
  }
}

/** Everyone joined long ago: available for the whole of the report's year. */
async function joinedLongAgo(h: Harness) {
  await sql`update members set created_at = '2025-01-01T00:00:00Z'`.execute(h.db);
}

const lastEphemeralMessage = (h: Harness, userId: string) => h.emulator.ephemerals(userId).at(-1);

describe('/engagement report', () => {
  it('shows each member’s turns weighed by availability, the balance and who went six months without one', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await joinedLongAgo(h);
    await givePeriods(h, [
      [PEOPLE.ana, '2026-02-02', '2026-02-27'],
      [PEOPLE.ana, '2026-09-07', '2026-10-02'],
      [PEOPLE.ben, '2026-10-05', '2026-10-30'],
    ]);
    await h.command(PEOPLE.ana, 'report');
    const text = textOf(lastEphemeralMessage(h, PEOPLE.ana));
    expect(text).toContain('Fairness and exposure, Tue 2 Dec 2025 – Tue 1 Dec 2026');
    expect(text).toContain('3 turns started');
    // ana 2, ben 1, cat 0 over equal availability: pairs 1/2, 0, 0.
    expect(text).toContain('Balance *0.17*: *uneven* (below 0.8)');
    expect(text).toContain('turns per member from 0 to 2');
    expect(text).toMatch(new RegExp(`<@${PEOPLE.cat}>: no turn yet`));
    // Said once on cat's line, in the flag, not again among the facts.
    const catLine = text.split('\n').find((l) => l.startsWith(`• <@${PEOPLE.cat}>: 0 turns`));
    expect(catLine?.match(/no turn yet/g)).toHaveLength(1);
    expect(text).toContain(`<@${PEOPLE.ana}>: 2 turns`);
    // A member sees turn counts, never on-time shares.
    expect(text).not.toContain('on time');
  });

  it('gives leads the on-time share of each owner’s milestones', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await joinedLongAgo(h);
    await givePeriods(h, [[PEOPLE.ana, '2026-09-07', '2026-10-02']]);
    const engagement = await h.db
      .selectFrom('engagements')
      .select('id')
      .where('owner_id', '=', PEOPLE.ana)
      .executeTakeFirstOrThrow();
    await h.db
      .insertInto('milestones')
      .values(
        [
          { due: '2026-09-07', done: '2026-09-07T15:00:00Z' },
          { due: '2026-09-10', done: '2026-09-14T15:00:00Z' },
        ].map((m, i) => ({
          team_id: TEAM_ID,
          engagement_id: engagement.id,
          position: i,
          kind: 'milestone' as const,
          title: `Step ${i}`,
          offset_days: i,
          due_on: m.due,
          status: 'done' as const,
          done_at: new Date(m.done),
        })),
      )
      .execute();
    await h.command(PEOPLE.lead, 'report');
    expect(textOf(lastEphemeralMessage(h, PEOPLE.lead))).toContain('50% of milestones on time');
  });

  it('shows a guest nothing', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.outsider, 'report');
    expect(h.lastEphemeral(PEOPLE.outsider)).toBe("The report is for the team's members and leads.");
  });

  it('pages a long report with Show more, cutting nobody', async () => {
    const h = harness.current;
    const many = Array.from({ length: REPORT_PAGE_SIZE + 5 }, (_, i) => `U0M${String(i).padStart(3, '0')}`);
    for (const id of many)
      h.emulator.addUser({ id, name: id.toLowerCase(), realName: `Member ${id.slice(3)}` });
    await setUpTeam(h, many);
    await h.command(PEOPLE.lead, 'report');
    const first = lastEphemeralMessage(h, PEOPLE.lead)!;
    const shown = (m: typeof first) => many.filter((id) => textOf(m).includes(`<@${id}>`));
    expect(shown(first)).toHaveLength(REPORT_PAGE_SIZE);
    const value = buttonValue(first as never, ACTIONS.reportMore);
    expect(value).toBeDefined();
    await h.click(PEOPLE.lead, { channelId: first.channel, ts: first.ts }, ACTIONS.reportMore, value);
    const second = lastEphemeralMessage(h, PEOPLE.lead)!;
    expect(shown(second)).toHaveLength(5);
    expect(new Set([...shown(first), ...shown(second)]).size).toBe(many.length);
    expect(buttonValue(second as never, ACTIONS.reportMore)).toBeUndefined();
  });

  it('sends the CSV and a chart to the asker’s DM', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await joinedLongAgo(h);
    await givePeriods(h, [[PEOPLE.ben, '2026-10-05', '2026-10-30']]);
    await h.command(PEOPLE.ben, 'report csv 2026-01-01 2026-11-30');
    expect(h.lastEphemeral(PEOPLE.ben)).toContain('Sent to your DM');
    const [dm] = h.emulator.messages(PEOPLE.ben).filter((m) => m.files);
    expect(dm?.text).toContain('Fairness and exposure, Thu 1 Jan 2026 – Mon 30 Nov 2026');
    const [csv, png] = dm!.files!;
    expect([csv?.name, png?.name]).toEqual([
      'exposure-2026-01-01-2026-11-30.csv',
      'exposure-2026-01-01-2026-11-30.png',
    ]);
    const rows = h.emulator.fileContent(csv!.id)!.bytes.toString('utf8').trim().split('\r\n');
    expect(rows[0]).toBe(
      'member,interest,paused until,turns started,business days owned,business days available,turns per 100 available days,fair share of turns,last turn,buddy turns,stand-in days,delivery-lead engagements,flag',
    );
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.startsWith('U0BEN') || r.includes(',1,20,'))).toBeDefined();
    const chart = h.emulator.fileContent(png!.id)!.bytes;
    expect(chart.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png?.alt_txt).toContain('Bar chart');
  });

  it.each([
    ['report 2026-01-01', 'Give the period as its first and last day'],
    ['report csv 2026/01/01 2026/06/30', 'Give the period as its first and last day'],
    ['report 2026-06-30 2026-01-01', 'the first not after the second'],
  ])('`/engagement %s` is refused, saying why', async (text, problem) => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.lead, text);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain(problem);
    expect(h.emulator.messages(PEOPLE.lead).filter((m) => m.files)).toEqual([]);
  });
});

describe('what people ask of the rotation', () => {
  it('records a wish for more or fewer turns, your own or, for a lead, anyone’s', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, 'prefer more');
    expect(h.lastEphemeral(PEOPLE.ana)).toContain('Noted: You asked for more turns');
    await h.command(PEOPLE.lead, `prefer fewer ${mention(PEOPLE.ben)}`);
    expect((await findMember(h.db, TEAM_ID, PEOPLE.ana))?.interest).toBe('more');
    expect((await findMember(h.db, TEAM_ID, PEOPLE.ben))?.interest).toBe('fewer');
    const events = (await listEvents(h.db, TEAM_ID)).filter((e) => e.kind === 'interest.changed');
    expect(events.map((e) => [e.actor_id, e.data])).toEqual([
      [PEOPLE.ana, { userId: PEOPLE.ana, interest: 'more', previous: 'normal' }],
      [PEOPLE.lead, { userId: PEOPLE.ben, interest: 'fewer', previous: 'normal' }],
    ]);
  });

  it('refuses a member speaking for someone else, changing nothing', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, `prefer fewer ${mention(PEOPLE.ben)}`);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('Only a lead can say what someone else wants.');
    await h.command(PEOPLE.ana, `pause ${mention(PEOPLE.ben)} until 2027-01-31`);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe("Only a lead can pause someone else's turns.");
    expect(await findMember(h.db, TEAM_ID, PEOPLE.ben)).toMatchObject({
      interest: 'normal',
      paused_until: null,
    });
  });

  it('pauses someone until a day and ends the pause', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.cat, 'pause until 2027-01-31');
    expect(h.lastEphemeral(PEOPLE.cat)).toContain('paused until 2027-01-31');
    expect((await findMember(h.db, TEAM_ID, PEOPLE.cat))?.paused_until).toBe('2027-01-31');
    await h.command(PEOPLE.lead, 'wishes');
    expect(h.lastEphemeral(PEOPLE.lead)).toContain(`<@${PEOPLE.cat}>: a pause until Sun 31 Jan 2027`);
    await h.command(PEOPLE.cat, 'pause off');
    expect(h.lastEphemeral(PEOPLE.cat)).toContain('can be proposed as owner again');
    expect((await findMember(h.db, TEAM_ID, PEOPLE.cat))?.paused_until).toBeNull();
    const kinds = (await listEvents(h.db, TEAM_ID)).map((e) => e.kind).filter((k) => k.startsWith('pause'));
    expect(kinds).toEqual(['pause.set', 'pause.ended']);
  });

  it('shows a pause in `load` only until it ends', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.cat, 'pause until 2026-12-04');
    await h.command(PEOPLE.lead, 'load');
    expect(textOf(lastEphemeralMessage(h, PEOPLE.lead))).toContain('paused until Fri 4 Dec');
    h.setNow('2026-12-07T10:00:00Z');
    await h.command(PEOPLE.lead, 'load');
    expect(textOf(lastEphemeralMessage(h, PEOPLE.lead))).not.toContain('paused until');
  });

  it.each([
    ['prefer lots', 'Say `more`, `fewer` or `normal`.', 'Usage: /engagement prefer'],
    ['prefer moer', 'did you mean `more`?', 'Usage: /engagement prefer'],
    ['pause 2027-01-31', 'Say `until` and the last day', 'Usage: /engagement pause'],
    ['pause until tomorrow', 'Say `until` and the last day', 'Usage: /engagement pause'],
  ])('`/engagement %s` answers with the usage', async (text, problem, usage) => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, text);
    const answer = h.lastEphemeral(PEOPLE.ana);
    expect(answer).toContain(problem);
    expect(answer).toContain(usage);
  });

  it('refuses a pause that has already ended', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, 'pause until 2026-11-30');
    expect(h.lastEphemeral(PEOPLE.ana)).toContain('2026-11-30 has passed');
    expect((await findMember(h.db, TEAM_ID, PEOPLE.ana))?.paused_until).toBeNull();
  });

  it('shows who asked for what to leads only', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, 'prefer more');
    await h.command(PEOPLE.ben, 'wishes');
    expect(h.lastEphemeral(PEOPLE.ben)).toBe('Only a lead sees who asked for what.');
    await h.command(PEOPLE.lead, 'wishes');
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(`*Who asked for what*\n• <@${PEOPLE.ana}>: more turns`);
  });
});

describe('App Home', () => {
  it('shows a member their own exposure, and a lead the balance with the full report a click away', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await joinedLongAgo(h);
    await givePeriods(h, [[PEOPLE.ana, '2026-02-02', '2026-02-27']]);
    const mine = textOf((await h.openHome(PEOPLE.ana)) as never);
    expect(mine).toContain('*Your exposure*\n1 turn as owner this year · last turn Mon 2 Feb 2026');
    expect(mine).not.toContain('Full report');

    const lead = (await h.openHome(PEOPLE.lead))!;
    expect(textOf(lead as never)).toContain('Balance *0.33*: *uneven*');
    await h.click(PEOPLE.lead, { viewId: lead.id }, ACTIONS.homeReport, 'report');
    const dm = h.emulator.messages(PEOPLE.lead).at(-1);
    expect(textOf(dm)).toContain('Fairness and exposure');
  });
});
