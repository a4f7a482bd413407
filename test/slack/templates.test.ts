// `/engagement templates`: the team's plans; leads create and edit them in a modal, each save a new
// version; the new-engagement form offers them and an engagement keeps the version it started with.
import { describe, expect, it } from 'vitest';
import { findEngagementByNumber, listMilestones } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { listPlanTemplates } from '../../src/db/teams.js';
import { templateView } from '../../src/flows/plan-templates.js';
import { templatesMessage } from '../../src/slack/blocks/templates.js';
import { ACTIONS, NEW_ENGAGEMENT_FIELDS, TEMPLATE_FIELDS as F } from '../../src/slack/ids.js';
import {
  CHANNELS,
  PEOPLE,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
  type Harness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01

/** The ephemeral template list a person got last, to click its buttons. */
function lastList(h: Harness, userId: string) {
  const list = h.emulator.ephemerals(userId).at(-1);
  if (!list) throw new Error(`${userId} got no template list`);
  return list;
}

async function openEditor(h: Harness, by: string, action: string, value: string) {
  await h.command(by, 'templates');
  const list = lastList(h, by);
  await h.click(by, { channelId: CHANNELS.rotation, ts: list.ts }, action, value);
  return h.modal(by);
}

const PILOT = '0 Kickoff with the client\n2 Inputs received\n8 Go-live\n9 Retrospective';

describe('listing templates', () => {
  it('shows the standard plan to a member, without editing buttons', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, 'templates');
    const list = lastList(h, PEOPLE.ana);
    const text = textOf(list);
    expect(text).toContain('*Standard 4-week plan* (version 1, the default) · 7 milestones');
    expect(text).toContain('a client status update every 5 business days');
    expect(text).toContain('• day 0: Kickoff with the client');
    expect(text).toContain('Leads create and edit templates.');
    expect(JSON.stringify(list.blocks)).not.toContain(ACTIONS.templateNew);
  });

  it('refuses a member who clicks Edit on a message with the buttons, with no modal', async () => {
    const h = harness.current;
    await setUpTeam(h);
    const [standard] = await listPlanTemplates(h.db, TEAM_ID);
    // The list as a lead sees it, where a member can click too.
    const message = templatesMessage({ templates: [templateView(standard!)], canEdit: true });
    const posted = await h.app.client.chat.postMessage({ channel: CHANNELS.rotation, ...message });
    await h.click(
      PEOPLE.ana,
      { channelId: CHANNELS.rotation, ts: posted.ts! },
      ACTIONS.templateEdit,
      standard!.id,
    );
    expect(h.modal(PEOPLE.ana)).toBeUndefined();
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('Only a lead can create or edit plan templates.');
  });
});

describe('creating and editing a template', () => {
  it('lets a lead create one that the new-engagement form then offers', async () => {
    const h = harness.current;
    await setUpTeam(h);
    const modal = (await openEditor(h, PEOPLE.lead, ACTIONS.templateNew, 'new'))!;
    expect(modal.callback_id).toBe('plan.template');
    const result = await h.submit(PEOPLE.lead, modal, {
      [F.name.block]: 'Two-week pilot',
      [F.milestones.block]: PILOT,
      [F.statusEvery.block]: '0',
    });
    expect(result.errors).toBeUndefined();
    expect(h.modal(PEOPLE.lead)).toBeUndefined();
    expect(h.lastEphemeral(PEOPLE.lead)).toContain(
      'Saved *Two-week pilot* version 1 (4 milestones, no client status updates).',
    );
    const pilot = (await listPlanTemplates(h.db, TEAM_ID)).find((t) => t.name === 'Two-week pilot')!;
    expect(pilot).toMatchObject({ version: 1, status_every: 0, is_default: false });
    expect((await listEvents(h.db, TEAM_ID)).at(-1)).toMatchObject({
      kind: 'template.saved',
      actor_id: PEOPLE.lead,
    });

    // The form offers it; an engagement on it gets its four milestones.
    await h.command(PEOPLE.ana, 'new');
    const form = h.modal(PEOPLE.ana)!;
    const select = form.blocks.find(
      (b) => b.block_id === NEW_ENGAGEMENT_FIELDS.template.block,
    ) as unknown as {
      element: { options: { text: { text: string } }[] };
    };
    expect(select.element.options.map((o) => o.text.text)).toEqual([
      'Standard 4-week plan (v1)',
      'Two-week pilot (v1)',
    ]);
    await h.emulator.closeView(PEOPLE.ana, form.id);
    await startEngagement(h, { template: pilot.id }, PEOPLE.ana);
    const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    expect(engagement).toMatchObject({
      template_id: pilot.id,
      starts_on: '2026-12-02',
      ends_on: '2026-12-15',
    });
    expect((await listMilestones(h.db, engagement.id)).map((m) => m.title)).toEqual(
      PILOT.split('\n').map((l) => l.replace(/^\d+ /, '')),
    );
  });

  it('saves an edit as a new version; a running engagement keeps the version it started with', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    const before = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    const [standard] = await listPlanTemplates(h.db, TEAM_ID);
    const modal = (await openEditor(h, PEOPLE.lead, ACTIONS.templateEdit, standard!.id))!;
    // The editor opens with the plan as text, and no name field: a template keeps its name.
    const milestones = modal.blocks.find((b) => b.block_id === F.milestones.block) as unknown as {
      element: { initial_value: string };
    };
    expect(milestones.element.initial_value.split('\n')[0]).toBe(
      '0 Kickoff with the client; scope and inputs confirmed',
    );
    expect(modal.blocks.some((b) => b.block_id === F.name.block)).toBe(false);
    await h.submit(PEOPLE.lead, modal, {
      [F.milestones.block]: `${milestones.element.initial_value}\n22 Hypercare ends`,
    });
    const latest = (await listPlanTemplates(h.db, TEAM_ID))[0]!;
    expect(latest).toMatchObject({ name: 'Standard 4-week plan', version: 2, is_default: true });
    expect(latest.steps).toHaveLength(8);
    const after = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    expect(after.template_id).toBe(before.template_id);
    expect(after.ends_on).toBe(before.ends_on);
    expect((await listMilestones(h.db, after.id)).some((m) => m.title === 'Hypercare ends')).toBe(false);
    // The next engagement gets version 2.
    await startEngagement(h, { client: 'Beta', channel: CHANNELS.beta });
    expect((await findEngagementByNumber(h.db, TEAM_ID, 2))?.template_id).toBe(latest.id);
  });

  it.each([
    [
      'a negative offset',
      { [F.milestones.block]: '0 Kickoff\n-1 Earlier' },
      F.milestones.block,
      /Line 2: the offset -1 is negative/,
    ],
    [
      'a non-integer offset',
      { [F.milestones.block]: '0 Kickoff\n1.5 Inputs' },
      F.milestones.block,
      /"1\.5" is not a whole number/,
    ],
    [
      'duplicate titles',
      { [F.milestones.block]: '0 Kickoff\n2 Kickoff' },
      F.milestones.block,
      /already the title of line 1/,
    ],
    ['an empty title', { [F.milestones.block]: '0 Kickoff\n3' }, F.milestones.block, /has no title/],
    [
      'too many milestones',
      { [F.milestones.block]: Array.from({ length: 26 }, (_, i) => `${i} S${i}`).join('\n') },
      F.milestones.block,
      /at most 25 milestones \(this one has 26\)/,
    ],
    ['a blank name', { [F.name.block]: '  ' }, F.name.block, /^Name the template\.$/],
    [
      'the name of an existing template',
      { [F.name.block]: 'standard 4-WEEK plan' },
      F.name.block,
      /already a template called "Standard 4-week plan"/,
    ],
    [
      'a cadence that is not a number',
      { [F.statusEvery.block]: 'weekly' },
      F.statusEvery.block,
      /"weekly" is not a whole number/,
    ],
  ])('answers %s with a field error and saves nothing', async (_, values, block, message) => {
    const h = harness.current;
    await setUpTeam(h);
    const modal = (await openEditor(h, PEOPLE.lead, ACTIONS.templateNew, 'new'))!;
    const result = await h.submit(PEOPLE.lead, modal, {
      [F.name.block]: 'Pilot',
      [F.milestones.block]: PILOT,
      ...values,
    });
    expect(result.errors?.[block]).toMatch(message);
    expect(result.problems).toBeUndefined();
    expect(h.modal(PEOPLE.lead)?.id).toBe(modal.id);
    expect(await listPlanTemplates(h.db, TEAM_ID)).toHaveLength(1);
  });
});
