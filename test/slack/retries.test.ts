// Slack sends a delivery again when it thinks the first was lost (`X-Slack-Retry-Num` over HTTP,
// `retry_attempt` > 0 on a socket). Whatever arrives twice changes nothing twice.
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/db/events.js';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  buttonValue,
  CHANNELS,
  openProposal,
  PEOPLE,
  setUpTeam,
  SLACK_MODES,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

describe.each(SLACK_MODES)('a delivery Slack sends again, over $name', ({ mode }) => {
  const harness = useHarness({ mode });

  it('approves once when the approval arrives twice: one DM, one kickoff, one audit event', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    const proposal = openProposal(h);
    await h.click(
      PEOPLE.lead,
      { channelId: CHANNELS.rotation, ts: proposal.ts },
      ACTIONS.approveOwner,
      buttonValue(proposal, ACTIONS.approveOwner),
    );
    const again = await h.emulator.redeliver('timeout');
    await h.app.idle();
    expect(again.status).toBe(200);
    if (mode === 'socket')
      expect(h.emulator.socketMode!.envelopes.at(-1)).toMatchObject({ retry_attempt: 1 });

    expect(h.botMessages(PEOPLE.ana)).toHaveLength(1);
    expect(h.botMessages(CHANNELS.acme)).toHaveLength(1);
    const approvals = (await listEvents(h.db, TEAM_ID)).filter((e) => e.kind === 'approved');
    expect(approvals).toHaveLength(1);
    const decided = h.emulator.message(CHANNELS.rotation, proposal.ts)!;
    expect(textOf(decided)).toContain(`<@${PEOPLE.ana}> is the owner, approved by <@${PEOPLE.lead}>`);
  });

  it('creates one engagement and one proposal when the form is submitted twice', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    const again = await h.emulator.redeliver('timeout');
    await h.app.idle();
    expect(again.status).toBe(200);
    if (mode === 'socket')
      expect(h.emulator.socketMode!.envelopes.at(-1)).toMatchObject({
        type: 'interactive',
        retry_attempt: 1,
      });
    const created = (await listEvents(h.db, TEAM_ID)).filter((e) => e.kind === 'engagement.created');
    expect(created).toHaveLength(1);
    expect(h.proposals()).toHaveLength(1);
    expect(h.ephemeralTexts(PEOPLE.lead).filter((t) => t.startsWith('Created'))).toHaveLength(1);
  });

  it('changes nothing when app_home_opened arrives again', async () => {
    const h = harness.current;
    await setUpTeam(h);
    const before = await listEvents(h.db, TEAM_ID);
    const first = await h.openHome(PEOPLE.ana);
    const again = await h.emulator.redeliver('http_timeout');
    await h.app.idle();
    expect(again.status).toBe(200);
    if (mode === 'socket')
      expect(h.emulator.socketMode!.envelopes.at(-1)).toMatchObject({
        type: 'events_api',
        retry_attempt: 1,
        retry_reason: 'http_timeout',
      });
    expect(await listEvents(h.db, TEAM_ID)).toEqual(before);
    expect(textOf(h.emulator.homeView(PEOPLE.ana) as never)).toBe(textOf(first as never));
  });
});
