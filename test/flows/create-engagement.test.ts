import { listProposals } from '../../src/db/proposals.js';
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/db/events.js';
import { findEngagement, listMilestones } from '../../src/db/engagements.js';
import { findTeam } from '../../src/db/teams.js';
import { createEngagement, type NewEngagementInput } from '../../src/flows/create-engagement.js';
import { recordTimeAway } from '../../src/flows/time-away.js';
import { useTestDatabase } from '../support/db.js';
import {
  as,
  asLead,
  clock,
  expectOk,
  flowDeps,
  ROTATION_CHANNEL,
  seedTeam,
  TEAM,
} from '../support/builders.js';

const database = useTestDatabase();
const time = clock('2026-12-01T10:00:00Z'); // a Tuesday
const deps = () => flowDeps(database.db, time.now);

const input = (over: Partial<NewEngagementInput> = {}): NewEngagementInput => ({
  clientName: 'Acme GmbH',
  channelId: 'C0ACME',
  startsOn: '2026-12-07',
  commandChannelId: ROTATION_CHANNEL,
  ...over,
});

/** A Slack Connect channel, as Slack describes it. */
const shared = {
  id: 'C0EXT',
  name: 'ext-initech',
  topic: 'Shared with Initech',
  purpose: '',
  isExtShared: true,
  isShared: true,
  isOrgShared: false,
  isPendingExtShared: false,
};

describe('creating an engagement', () => {
  it('dates the standard plan from the start and proposes an owner in the rotation channel', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben', 'cat']);
    const created = expectOk(await createEngagement(deps(), asLead, input()));

    const stored = await findEngagement(database.db, TEAM, created.engagement.id);
    expect(stored).toMatchObject({
      number: 1,
      starts_on: '2026-12-07',
      ends_on: '2027-01-04',
      status: 'awaiting_owner',
    });
    expect(stored?.rotation_channel_id).toBe(ROTATION_CHANNEL);
    expect(created.engagement).toEqual({
      id: stored?.id,
      number: 1,
      clientName: stored?.client_name,
      rotationChannelId: ROTATION_CHANNEL,
    });
    expect(created.proposal.candidate?.userId).toBe(people.ana);
    expect(created.proposal.reasons.length).toBeGreaterThan(0);
    const milestones = await listMilestones(database.db, created.engagement.id);
    expect(milestones.filter((m) => m.kind === 'milestone').map((m) => m.due_on)).toEqual([
      '2026-12-07',
      '2026-12-10',
      '2026-12-11',
      '2026-12-18',
      '2026-12-25',
      '2027-01-01',
      '2027-01-04',
    ]);
    expect((await findTeam(database.db, TEAM))?.rotation_channel_id).toBe(ROTATION_CHANNEL);
    const events = await listEvents(database.db, TEAM, created.engagement.id);
    expect(events.map((e) => e.kind)).toEqual(['engagement.created', 'proposed']);
  });

  it('never proposes the delivery lead as owner', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = expectOk(await createEngagement(deps(), asLead, input({ deliveryLeadId: people.ana })));
    expect(created.proposal.candidate?.userId).toBe(people.ben);
    expect(created.proposal.skipped).toContainEqual(
      expect.objectContaining({ userId: people.ana, reason: 'delivery-lead' }),
    );
  });

  it('skips a member who is away on the start date, and says so', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    expectOk(
      await recordTimeAway(deps(), as(people.ana!), {
        userId: people.ana!,
        startsOn: '2026-12-07',
        endsOn: '2026-12-08',
      }),
    );
    const created = expectOk(await createEngagement(deps(), as(people.ben!), input()));
    expect(created.proposal.candidate?.userId).toBe(people.ben);
    expect(created.proposal.skipped).toContainEqual(
      expect.objectContaining({ userId: people.ana, reason: 'away-on-start' }),
    );
  });

  it('says when nobody is eligible and lists everyone with the reason', async () => {
    const people = await seedTeam(deps(), ['ana']);
    const created = expectOk(await createEngagement(deps(), asLead, input({ deliveryLeadId: people.ana })));
    expect(created.proposal.candidate).toBeNull();
    const [stored] = await listProposals(deps().db, created.engagement.id);
    expect(stored?.candidate_id).toBeNull();
    expect(created.proposal.skipped.map((s) => s.userId)).toContain(people.ana);
  });

  it('numbers engagements per team', async () => {
    await seedTeam(deps(), ['ana', 'ben']);
    expectOk(await createEngagement(deps(), asLead, input()));
    const second = expectOk(
      await createEngagement(deps(), asLead, input({ channelId: 'C0OTHER', clientName: 'Beta' })),
    );
    expect(second.engagement.number).toBe(2);
  });

  it.each([
    ['an empty client name', { clientName: '   ' }, 'client'],
    ['an over-long client name', { clientName: 'x'.repeat(81) }, 'client'],
    ['a start in the past', { startsOn: '2026-11-30' }, 'start'],
    ['a start on a Saturday', { startsOn: '2026-12-05' }, 'start'],
    ['a date that does not exist', { startsOn: '2026-02-30' }, 'start'],
    ['the rotation channel as the engagement channel', { channelId: ROTATION_CHANNEL }, 'channel'],
    ['a delivery lead who is not on the team', { deliveryLeadId: 'U0STRANGER' }, 'deliveryLead'],
    ['an unknown plan template', { templateId: '999999' }, 'template'],
    ['a Slack Connect channel as the engagement channel', { channels: { engagement: shared } }, 'channel'],
    ['the engagement channel as the client channel', { clientChannelId: 'C0ACME' }, 'clientChannel'],
    ['the rotation channel as the client channel', { clientChannelId: ROTATION_CHANNEL }, 'clientChannel'],
    [
      'a client channel that names another client',
      { clientName: 'Hooli', clientChannelId: 'C0EXT', channels: { client: shared } },
      'clientChannel',
    ],
  ])('refuses %s, names the field and changes nothing', async (_case, over, field) => {
    await seedTeam(deps(), ['ana']);
    // The rotation channel is set by the first engagement; make it exist for the rotation-channel case.
    const result = await createEngagement(deps(), asLead, input(over));
    expect(result).toMatchObject({ ok: false, field });
    const engagements = await database.db.selectFrom('engagements').select('id').execute();
    expect(engagements).toEqual([]);
    expect(await listEvents(database.db, TEAM)).not.toContainEqual(
      expect.objectContaining({ kind: 'engagement.created' }),
    );
  });

  it('refuses a channel already used by an open engagement', async () => {
    await seedTeam(deps(), ['ana', 'ben']);
    expectOk(await createEngagement(deps(), asLead, input()));
    const again = await createEngagement(deps(), asLead, input({ clientName: 'Other' }));
    expect(again).toMatchObject({ ok: false, code: 'channel-in-use', field: 'channel' });
  });

  it('lets only two racing requests for one channel create one engagement', async () => {
    await seedTeam(deps(), ['ana', 'ben']);
    const results = await Promise.all([
      createEngagement(deps(), asLead, input()),
      createEngagement(deps(), asLead, input({ clientName: 'Twin' })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: 'channel-in-use' });
  });

  it('refuses someone who is neither on the team nor a lead', async () => {
    await seedTeam(deps(), ['ana']);
    const result = await createEngagement(deps(), as('U0STRANGER'), input());
    expect(result).toMatchObject({ ok: false, code: 'not-on-team' });
  });

  it('keeps the client channel, and goes ahead past a warning the person has seen', async () => {
    await seedTeam(deps(), ['ana']);
    const created = expectOk(
      await createEngagement(
        deps(),
        asLead,
        input({
          clientName: 'Hooli',
          clientChannelId: 'C0EXT',
          channels: { client: shared },
          acceptMismatch: true,
        }),
      ),
    );
    expect(await findEngagement(database.db, TEAM, created.engagement.id)).toMatchObject({
      client_channel_id: 'C0EXT',
      channel_checked: false,
    });
  });
});
