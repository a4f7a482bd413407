// Lists that scale: with 60 open engagements and 30 members, `list`, `load`, `report` and App Home
// reach every row (paging with "Show more"), never cut a line, and Slack (the emulator, which enforces
// its limits) accepts every page.
import { describe, expect, it } from 'vitest';
import { addToRotation } from '../../src/flows/manage-team.js';
import { ACTIONS } from '../../src/slack/ids.js';
import type { EphemeralMessage } from '../../src/sandbox/emulator/types.js';
import { insertActiveEngagements } from '../jobs/bulk.js';
import { buttonValue, PEOPLE, setUpTeam, TEAM_ID, textOf, useHarness, type Harness } from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01
const MEMBERS = Array.from({ length: 27 }, (_, i) => `U0M${String(i + 1).padStart(2, '0')}`);

async function bigTeam(h: Harness) {
  await setUpTeam(h);
  const added = await addToRotation(
    { db: h.db, now: () => new Date('2026-12-01T10:00:00Z') },
    { teamId: TEAM_ID, userId: PEOPLE.lead },
    MEMBERS.map((userId, i) => ({ userId, name: `Member ${i + 1} with a longer name` })),
  );
  if (!added.ok) throw new Error(added.message);
  await insertActiveEngagements(h.db, {
    teamId: TEAM_ID,
    count: 60,
    startsOn: '2026-12-02',
    owners: [PEOPLE.ana, PEOPLE.ben, PEOPLE.cat, ...MEMBERS],
    createdBy: PEOPLE.lead,
  });
}

/** Runs a command, then follows "Show more" to the end; returns every page. */
async function allPages(h: Harness, text: string, more: string): Promise<EphemeralMessage[]> {
  const before = h.emulator.ephemerals(PEOPLE.lead).length;
  await h.command(PEOPLE.lead, text);
  for (let guard = 0; guard < 20; guard++) {
    const last = h.emulator.ephemerals(PEOPLE.lead).at(-1)!;
    const value = buttonValue(last, more);
    if (!value) break;
    await h.click(PEOPLE.lead, { channelId: last.channel, ts: last.ts }, more, value);
  }
  return h.emulator.ephemerals(PEOPLE.lead).slice(before);
}

const LIMITS = (page: { blocks?: unknown[] }) => {
  expect(page.blocks?.length ?? 0).toBeLessThanOrEqual(50);
  for (const block of (page.blocks ?? []) as { text?: { text: string } }[])
    expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
  // A line is never cut: nothing ends in the clipping ellipsis.
  expect(textOf(page as never)).not.toMatch(/…\n|…$/);
};

describe('with 60 open engagements and 30 members', () => {
  it('list reaches every engagement, page by page', async () => {
    const h = harness.current;
    await bigTeam(h);
    const pages = await allPages(h, 'list', ACTIONS.listMore);
    pages.forEach(LIMITS);
    const text = pages.map((p) => textOf(p)).join('\n');
    for (let n = 1; n <= 60; n++) expect(text).toContain(`*#${n} Client ${n}*`);
    expect(
      h.emulator.callsTo('response_url').every((c) => (c.response as { ok?: boolean }).ok !== false),
    ).toBe(true);
  });

  it('load reaches every member and the whole queue', async () => {
    const h = harness.current;
    await bigTeam(h);
    const pages = await allPages(h, 'load', ACTIONS.loadMore);
    pages.forEach(LIMITS);
    const text = pages.map((p) => textOf(p)).join('\n');
    for (const id of [PEOPLE.ana, PEOPLE.ben, PEOPLE.cat, ...MEMBERS]) expect(text).toContain(`• <@${id}> `);
    expect(text).toContain('*Who is next*');
  });

  it('report reaches every member', async () => {
    const h = harness.current;
    await bigTeam(h);
    const pages = await allPages(h, 'report', ACTIONS.reportMore);
    pages.forEach(LIMITS);
    const text = pages.map((p) => textOf(p)).join('\n');
    for (const id of [PEOPLE.ana, PEOPLE.ben, PEOPLE.cat, ...MEMBERS]) expect(text).toContain(`<@${id}>`);
  });

  it("App Home shows every engagement and member inside the home tab's limits", async () => {
    const h = harness.current;
    await bigTeam(h);
    const home = await h.openHome(PEOPLE.lead);
    expect(home).toBeDefined();
    expect(home!.blocks!.length).toBeLessThanOrEqual(100);
    const text = textOf(home as never);
    for (let n = 1; n <= 60; n++) expect(text).toContain(`*#${n} Client ${n}*`);
    for (const id of MEMBERS) expect(text).toContain(`• <@${id}> `);
    expect(text).not.toMatch(/…and \d+ more/);
    // An owner's App Home lists every open milestone, not the first few.
    const anaHome = await h.openHome(PEOPLE.ana);
    const published = h.emulator.callsTo('views.publish').at(-1) as { response?: unknown } | undefined;
    if (!anaHome) throw new Error(JSON.stringify(published?.response).slice(0, 600));
    const mine = textOf(anaHome as never);
    expect(mine).toContain('Go-live and handover to the client');
  });
});
