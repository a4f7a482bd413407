// `/engagement history #n`: the engagement's story from the audit trail, paged with Show more,
// for the team's members and leads only.
import { describe, expect, it } from 'vitest';
import { findEngagementByNumber } from '../../src/db/engagements.js';
import { recordEvent } from '../../src/db/events.js';
import { HISTORY_PAGE } from '../../src/flows/history.js';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  approveOpenProposal,
  buttonValue,
  CHANNELS,
  handsBack,
  PEOPLE,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01, 10:00 UTC

describe('the story of an engagement', () => {
  it('tells who did what, and when, oldest first', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    await approveOpenProposal(h);
    await h.command(PEOPLE.ben, 'history #1');
    const story = textOf(h.emulator.ephemerals(PEOPLE.ben).at(-1));
    expect(story).toContain('*The story of #1 Acme GmbH*');
    expect(story).toMatch(/• Tue 1 Dec 10:00 · <@U0LEAD> created the engagement \(Wed 2 Dec 2026 → /);
    expect(story).toContain(`<@U0LEAD> proposed <@${PEOPLE.ana}> as owner`);
    expect(story).toContain(`<@U0LEAD> approved <@${PEOPLE.ana}> as owner`);
    expect(story).toContain('That is the whole story so far.');
    expect(story.indexOf('created')).toBeLessThan(story.indexOf('approved'));
  });

  it('says Steward proposed the next owner after a hand-back, naming who handed it back', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    await approveOpenProposal(h);
    await handsBack(h, PEOPLE.ana, 'on the <bid> all month');
    await h.command(PEOPLE.ben, 'history #1');
    const story = textOf(h.emulator.ephemerals(PEOPLE.ben).at(-1));
    expect(story).toMatch(
      new RegExp(
        `· Steward proposed <@U0\\w+> as owner: _<@${PEOPLE.ana}> handed it back: on the &lt;bid&gt; all month_`,
      ),
    );
  });

  it('pages a long story with Show more, reaching every event', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    for (let i = 1; i <= 2 * HISTORY_PAGE; i++) {
      await recordEvent(h.db, {
        teamId: TEAM_ID,
        engagementId: engagement.id,
        kind: 'milestone.snoozed',
        actorId: PEOPLE.ana,
        at: new Date(Date.UTC(2026, 11, 1, 11, i)),
        data: { until: '2026-12-03' },
        reason: `note ${i}`,
      });
    }
    await h.command(PEOPLE.lead, 'history #1');
    const seen: string[] = [];
    for (let page = 0; page < 5; page++) {
      const last = h.emulator.ephemerals(PEOPLE.lead).at(-1)!;
      seen.push(textOf(last));
      const more = buttonValue(last, ACTIONS.historyMore);
      if (!more) break;
      await h.click(PEOPLE.lead, { channelId: CHANNELS.rotation, ts: last.ts }, ACTIONS.historyMore, more);
    }
    expect(seen).toHaveLength(3); // 2 + 30 events, 15 a page
    const all = seen.join('\n');
    for (let i = 1; i <= 2 * HISTORY_PAGE; i++) expect(all).toContain(`_note ${i}_`);
    expect(all.match(/note \d+_/g)).toHaveLength(2 * HISTORY_PAGE); // nothing twice
    expect(seen[1]).toContain('*#1 Acme GmbH*, continued');
  });

  it('is refused to someone outside the team, and explains a malformed or unknown number', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    await h.command(PEOPLE.outsider, 'history #1');
    expect(h.lastEphemeral(PEOPLE.outsider)).toBe(
      "An engagement's history is for the team's members and leads.",
    );
    await h.command(PEOPLE.ana, 'history #9');
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('There is no engagement #9.');
    await h.command(PEOPLE.ana, 'history acme');
    expect(h.lastEphemeral(PEOPLE.ana)).toContain('Usage: /engagement history #number');
  });
});
