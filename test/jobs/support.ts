// What the job tests share: a Slack emulator per test, a real WebClient pointed at it, and quick ways
// to put engagements on the books.
import { sql } from 'kysely';
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { findEngagement, listMilestones } from '../../src/db/engagements.js';
import type { EngagementRow, MilestoneRow } from '../../src/db/schema.js';
import { updateTeam, type TeamSettingsUpdate } from '../../src/db/teams.js';
import { createEngagement } from '../../src/flows/create-engagement.js';
import { approveProposal } from '../../src/flows/decide-proposal.js';
import { runJob, type JobName, type JobReport } from '../../src/jobs/schedule.js';
import { createLogger } from '../../src/logger.js';
import { slackDelivery } from '../../src/slack/delivery.js';
import {
  SlackEmulator,
  type EmulatedMessage,
  type EmulatorOptions,
} from '../../src/sandbox/slack-emulator.js';
import { insertActiveEngagements, type BulkEngagements } from './bulk.js';
import { asLead, expectOk, flowDeps, LEAD, ROTATION_CHANNEL, seedTeam, TEAM } from '../support/builders.js';

export const SIGNING_SECRET = 'jobs-test-signing-secret';
export const MEMBERS = ['ana', 'ben', 'cat'] as const;
export const userIdOf = (name: string) => `U${name.toUpperCase()}`;
export const silentLogger = createLogger({ level: process.env.JOBS_TEST_LOG ?? 'silent' });

/**
 * The job tables the shared test database helper does not know yet (it empties the initial schema's
 * tables only): emptied here, after it, before each test.
 */
export function emptyJobTables(database: { readonly db: Db }): void {
  beforeEach(async () => {
    await sql`truncate job_marks`.execute(database.db);
  });
}

/** A fresh emulated workspace per test, with the team's people and its rotation channel. */
export function useSlack(options: Partial<EmulatorOptions> = {}) {
  let emulator: SlackEmulator | undefined;
  beforeEach(async () => {
    emulator = await SlackEmulator.start({
      signingSecret: SIGNING_SECRET,
      teamId: TEAM,
      users: [
        { id: LEAD, name: 'lee', realName: 'Lee Lead', isAdmin: true },
        ...MEMBERS.map((name) => ({ id: userIdOf(name), name })),
      ],
      channels: [{ id: ROTATION_CHANNEL, name: 'rotation' }],
      ...options,
    });
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  return {
    get emulator(): SlackEmulator {
      if (!emulator) throw new Error('the emulator runs only inside tests');
      return emulator;
    },
    client(): webApi.WebClient {
      return new webApi.WebClient(this.emulator.identity.botToken, { slackApiUrl: this.emulator.apiUrl });
    },
  };
}

export type Slack = ReturnType<typeof useSlack>;

export async function job(
  db: Db,
  slack: Slack,
  name: JobName,
  at: string,
  sweep: Parameters<typeof runJob>[3] = {},
): Promise<JobReport> {
  const moment = new Date(at);
  return runJob(
    name,
    moment,
    { db, deliver: slackDelivery(slack.client(), silentLogger), logger: silentLogger, now: () => moment },
    sweep,
  );
}

/** The team with a lead and three members in the rotation, in the given calendar. */
export async function seedJobsTeam(db: Db, at: string, settings: TeamSettingsUpdate = {}) {
  const people = await seedTeam(
    flowDeps(db, () => new Date(at)),
    MEMBERS,
  );
  await updateTeam(db, TEAM, { rotationChannelId: ROTATION_CHANNEL, ...settings });
  return people;
}

/**
 * An engagement created through the flows at `createdAt` (so its plan is dated by the team's calendar),
 * approved unless told otherwise; its channel exists in the emulator.
 */
export async function engagementVia(
  db: Db,
  slack: Slack,
  input: { clientName: string; channelId: string; startsOn: string; createdAt: string; approve?: boolean },
): Promise<{ engagement: EngagementRow; milestones: MilestoneRow[]; proposalId: string }> {
  slack.emulator.addChannel({
    id: input.channelId,
    name: input.clientName.toLowerCase().replace(/\W+/g, '-'),
  });
  const deps = flowDeps(db, () => new Date(input.createdAt));
  const created = expectOk(
    await createEngagement(deps, asLead, {
      clientName: input.clientName,
      channelId: input.channelId,
      startsOn: input.startsOn,
      commandChannelId: ROTATION_CHANNEL,
    }),
  );
  // The listener sends the proposal at once; these tests look at the jobs' own rows only.
  await forget(db, created.toSend);
  if (input.approve ?? true) {
    const approved = expectOk(await approveProposal(deps, asLead, created.proposal.proposal.id));
    // Likewise the approval's news (the owner's DM, a buddy's DM): the listener sent it.
    await forget(db, approved.toSend);
  }
  const engagement = (await findEngagement(db, TEAM, created.engagement.id))!;
  return {
    engagement,
    milestones: await listMilestones(db, engagement.id),
    proposalId: created.proposal.proposal.id,
  };
}

/** Takes rows a flow queued out of the outbox, as if a listener had long since sent them. */
export async function forget(db: Db, rows: readonly { teamId: string; key: string }[]): Promise<void> {
  for (const row of rows) {
    await db
      .deleteFrom('outbox')
      .where('team_id', '=', row.teamId)
      .where('idempotency_key', '=', row.key)
      .execute();
  }
}

/** Many active engagements at once, straight into the tables; their channels exist in the emulator. */
export async function bulkActiveEngagements(
  db: Db,
  input: Omit<BulkEngagements, 'teamId' | 'createdBy'> & { emulator?: SlackEmulator },
): Promise<void> {
  const channels = await insertActiveEngagements(db, { ...input, teamId: TEAM, createdBy: LEAD });
  for (const id of channels) input.emulator?.addChannel({ id, name: id.toLowerCase() });
}

/** The bot's messages in a conversation (a person's id: their DM), deleted ones left out. */
export const posted = (slack: Slack, channelId: string): EmulatedMessage[] =>
  slack.emulator.messages(channelId).filter((m) => !m.deleted && m.via === 'chat.postMessage');

/** The values of the buttons with this action id in a message. */
export function buttonValues(message: EmulatedMessage, actionId: string): string[] {
  return (message.blocks ?? []).flatMap((block) =>
    block.type === 'actions'
      ? ((block.elements as { action_id?: string; value?: string }[]) ?? [])
          .filter((e) => e.action_id === actionId)
          .map((e) => e.value ?? '')
      : [],
  );
}

export { LEAD, ROTATION_CHANNEL, TEAM };
