// The owner's Hand back lasts until the end of the business day after their approval, in the team's
// time zone. When that window closes, the reminders job takes the button out of the owner's DM (once,
// through the outbox), unprompted and whatever the hour; a click that comes before the job is refused
// before any modal opens.
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { updateTeam } from '../../src/db/teams.js';
import { listOutbox } from '../../src/db/outbox.js';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  approveOpenProposal,
  buttonValue,
  type Harness,
  PEOPLE,
  remindersTick,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01, 10:00 UTC
beforeEach(async () => {
  await sql`truncate job_marks`.execute(harness.current.db);
});

const tick = remindersTick;

/** Ana approved as owner on Tuesday 1 Dec; her DM with Hand back. */
async function owned(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h);
  await approveOpenProposal(h);
  const dm = h.botMessages(PEOPLE.ana)[0]!;
  expect(buttonValue(dm, ACTIONS.handBack)).toBeDefined();
  return { dm, dmChannel: h.emulator.dmChannelFor(PEOPLE.ana) };
}

const closedRows = async (h: Harness) =>
  (await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'hand-back-closed');

describe('the hand-back window', () => {
  it('closes at the end of the next business day: the DM loses Hand back then, once', async () => {
    const h = harness.current;
    const { dm, dmChannel } = await owned(h);

    await tick(h, '2026-12-02T23:59:00Z'); // Wednesday, still open
    expect(buttonValue(h.emulator.message(dmChannel, dm.ts)!, ACTIONS.handBack)).toBeDefined();

    await tick(h, '2026-12-03T00:01:00Z'); // just past midnight: long before the reminder time
    const updated = h.emulator.message(dmChannel, dm.ts)!;
    expect(buttonValue(updated, ACTIONS.handBack)).toBeUndefined();
    expect(textOf(updated)).toContain('You own *#1 Acme GmbH*'); // the plan stays
    expect(textOf(updated)).toContain(
      "The hand-back window closed on Wed 2 Dec: Hand back is gone. Can't keep it after all? Ask a lead to reassign it.",
    );

    await tick(h, '2026-12-03T00:02:00Z');
    expect((await closedRows(h)).map((r) => [r.channel_id, r.message_ts, r.status])).toEqual([
      [dmChannel, dm.ts, 'sent'],
    ]);
  });

  it('closes at midnight in the team’s time zone', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await updateTeam(h.db, TEAM_ID, { timeZone: 'America/New_York' });
    await startEngagement(h);
    await approveOpenProposal(h);
    const dm = h.botMessages(PEOPLE.ana)[0]!;
    const dmChannel = h.emulator.dmChannelFor(PEOPLE.ana);

    await tick(h, '2026-12-03T04:59:00Z'); // 23:59 on Wednesday in New York
    expect(buttonValue(h.emulator.message(dmChannel, dm.ts)!, ACTIONS.handBack)).toBeDefined();
    await tick(h, '2026-12-03T05:00:00Z');
    expect(buttonValue(h.emulator.message(dmChannel, dm.ts)!, ACTIONS.handBack)).toBeUndefined();
  });

  it('refuses a click before the job has run, before any modal, and takes the button away once', async () => {
    const h = harness.current;
    const { dm, dmChannel } = await owned(h);
    h.setNow('2026-12-03T08:00:00Z');
    await h.click(
      PEOPLE.ana,
      { channelId: dmChannel, ts: dm.ts },
      ACTIONS.handBack,
      buttonValue(dm, ACTIONS.handBack),
    );
    expect(h.modal(PEOPLE.ana)).toBeUndefined();
    expect(h.lastEphemeral(PEOPLE.ana)).toBe(
      'The hand-back window closed on Wed 2 Dec; ask a lead to reassign it.',
    );
    expect(buttonValue(h.emulator.message(dmChannel, dm.ts)!, ACTIONS.handBack)).toBeUndefined();

    await tick(h, '2026-12-03T08:01:00Z');
    expect(await closedRows(h)).toHaveLength(1);
  });
});
