import type { Db } from '../db/connect.js';
import {
  findOpenEngagementInChannel,
  insertEngagement,
  listEngagements,
  insertMilestones,
  nextEngagementNumber,
} from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { findMember } from '../db/members.js';
import {
  findPlanTemplate,
  findTeamForUpdate,
  listPlanTemplates,
  toPlanTemplate,
  updateTeam,
} from '../db/teams.js';
import { commonDaysOffWorked, isValidLocalDate, type LocalDate } from '../domain/calendar.js';
import { channelMismatch, isSharedOutside, type ChannelFacts } from '../domain/channels.js';
import { expandPlan, type DatedPlan } from '../domain/plan.js';
import { fail, ok, type Result } from '../domain/result.js';
import { calendarOf, inTransaction, mention, requireTeam, type Actor, type FlowDeps } from './context.js';
import type { QueuedMessage } from './delivery.js';
import { proposeFor, queueProposal, type ProposalView } from './proposing.js';

export const CLIENT_NAME_MAX = 80;
export const NOTES_MAX = 2000;

export interface NewEngagementInput {
  readonly clientName: string;
  /** The engagement channel: the team's internal one, where reminders and their buttons go. */
  readonly channelId: string;
  /** A channel shared with the client, if any: it gets only the client-safe kickoff and status updates. */
  readonly clientChannelId?: string | null;
  /** What Slack said of the chosen channels; null or absent: it was not asked, or would not say. */
  readonly channels?: {
    readonly engagement?: ChannelFacts | null;
    readonly client?: ChannelFacts | null;
  };
  /** The person saw that a channel looks like another client's, and goes ahead. */
  readonly acceptMismatch?: boolean;
  readonly startsOn: string;
  /** A plan template id; absent → the team's default (the standard 4-week plan). */
  readonly templateId?: string | null;
  readonly deliveryLeadId?: string | null;
  readonly notes?: string | null;
  /** Where the command was run: the team's rotation channel unless it has one already. */
  readonly commandChannelId: string;
}

/** The new engagement as its creator's confirmation names it. */
export interface NewEngagement {
  readonly id: string;
  readonly number: number;
  readonly clientName: string;
  /** Where its owner proposal goes. */
  readonly rotationChannelId: string;
}

export interface CreatedEngagement {
  readonly engagement: NewEngagement;
  readonly plan: DatedPlan;
  /**
   * With no holidays set for the team: Christmas Day and New Year's Day the plan counts as working
   * days (the creator is told how to set the team's holidays).
   */
  readonly daysOffWorked: readonly LocalDate[];
  readonly proposal: ProposalView;
  /** The proposal's message, queued: the caller asks for it to be sent now. */
  readonly toSend: readonly QueuedMessage[];
}

export type CreateEngagementFailure =
  | 'missing-client'
  | 'client-too-long'
  | 'notes-too-long'
  | 'bad-date'
  | 'unknown-team'
  | 'not-on-team'
  | 'start-in-past'
  | 'start-not-business-day'
  | 'channel-is-rotation-channel'
  | 'channel-in-use'
  | 'channel-shared'
  | 'client-channel-is-engagement-channel'
  | 'client-channel-is-rotation-channel'
  | 'client-channel-is-internal'
  | 'channel-mismatch'
  | 'delivery-lead-not-on-team'
  | 'unknown-template'
  | 'busy';

/** Field names a modal maps its blocks to. */
export type EngagementField =
  'client' | 'channel' | 'clientChannel' | 'start' | 'template' | 'deliveryLead' | 'notes';

/**
 * `/engagement new`: records the engagement and its dated plan, and proposes its owner in the
 * rotation channel. Bad input is refused field by field and changes nothing.
 */
export async function createEngagement(
  deps: FlowDeps,
  actor: Actor,
  input: NewEngagementInput,
): Promise<Result<CreatedEngagement, CreateEngagementFailure>> {
  const clientName = input.clientName.trim();
  if (clientName === '') return fail('missing-client', 'Name the client.', 'client');
  if (clientName.length > CLIENT_NAME_MAX) {
    return fail('client-too-long', `Keep the client name to ${CLIENT_NAME_MAX} characters.`, 'client');
  }
  if ((input.notes ?? '').length > NOTES_MAX) {
    return fail('notes-too-long', `Keep the notes to ${NOTES_MAX} characters.`, 'notes');
  }
  if (!isValidLocalDate(input.startsOn)) return fail('bad-date', 'Pick a start date.', 'start');

  return inTransaction(deps.db, async (trx) => {
    // Engagements of one team are created one at a time: numbers stay unique and the channel check
    // below sees any engagement created a moment ago.
    const locked = await findTeamForUpdate(trx, actor.teamId);
    if (!locked) return requireTeam(trx, actor.teamId) as Promise<Result<never, 'unknown-team'>>;
    let team = locked;
    const creator = await findMember(trx, actor.teamId, actor.userId);
    if (!creator || !(creator.in_rotation || creator.is_lead)) {
      return fail('not-on-team', "Only the team's members and leads can start an engagement.");
    }
    const calendar = calendarOf(team);
    const today = calendar.localDate(deps.now());
    if (input.startsOn < today) return fail('start-in-past', 'The start date is in the past.', 'start');
    if (!calendar.isBusinessDay(input.startsOn)) {
      return fail(
        'start-not-business-day',
        `${input.startsOn} is not a business day; the next one is ${calendar.nextBusinessDay(input.startsOn)}.`,
        'start',
      );
    }
    if (!team.rotation_channel_id) {
      await updateTeam(trx, team.id, { rotationChannelId: input.commandChannelId });
      team = { ...team, rotation_channel_id: input.commandChannelId };
    }
    const rotationChannelId = team.rotation_channel_id!;
    // The engagement channel may be shared with the client; internal talk must never land there.
    if (input.channelId === rotationChannelId) {
      return fail(
        'channel-is-rotation-channel',
        "That's the team's rotation channel, where internal proposals go; pick the engagement's own channel.",
        'channel',
      );
    }
    const engagementChannel = input.channels?.engagement ?? null;
    if (engagementChannel && isSharedOutside(engagementChannel)) {
      return fail(
        'channel-shared',
        `#${engagementChannel.name} is shared with people outside the organisation (Slack Connect), so the client would see the reminders, overdue lists and their buttons. Pick the team's internal channel here, and the shared one as the client channel.`,
        'channel',
      );
    }
    const clientChannelId = input.clientChannelId || null;
    if (clientChannelId === input.channelId) {
      return fail(
        'client-channel-is-engagement-channel',
        'The client channel must be another channel than the engagement channel: the client must not see the internal one.',
        'clientChannel',
      );
    }
    if (clientChannelId === rotationChannelId) {
      return fail(
        'client-channel-is-rotation-channel',
        "That's the team's rotation channel, where internal proposals go; the client must never see it.",
        'clientChannel',
      );
    }
    if (clientChannelId) {
      const internal = await findOpenEngagementInChannel(trx, team.id, clientChannelId);
      if (internal) {
        return fail(
          'client-channel-is-internal',
          `That channel is the internal channel of #${internal.number} (${internal.client_name}), with its reminders and overdue lists; the client must not see it.`,
          'clientChannel',
        );
      }
    }
    const clash = await findOpenEngagementInChannel(trx, team.id, input.channelId);
    if (clash) {
      return fail(
        'channel-in-use',
        `That channel already has an open engagement (#${clash.number}, ${clash.client_name}).`,
        'channel',
      );
    }
    if (input.deliveryLeadId) {
      const lead = await findMember(trx, team.id, input.deliveryLeadId);
      if (!lead?.in_rotation) {
        return fail(
          'delivery-lead-not-on-team',
          `${mention(input.deliveryLeadId)} is not on the team; add them with \`/engagement team add\` first.`,
          'deliveryLead',
        );
      }
    }
    const templateRow = input.templateId
      ? await findPlanTemplate(trx, team.id, input.templateId)
      : (await listPlanTemplates(trx, team.id))[0];
    if (!templateRow) return fail('unknown-template', 'Pick one of the plan templates.', 'template');

    if (!input.acceptMismatch) {
      const mismatch = await mismatchWarning(trx, team.id, clientName, input);
      if (mismatch) return fail('channel-mismatch', mismatch.message, mismatch.field);
    }

    const plan = expandPlan(toPlanTemplate(templateRow), input.startsOn, calendar);
    const engagement = await insertEngagement(trx, {
      teamId: team.id,
      number: await nextEngagementNumber(trx, team.id),
      clientName,
      channelId: input.channelId,
      clientChannelId,
      // Asked and found internal; an engagement channel Slack would not show is asked about later.
      channelChecked: engagementChannel !== null,
      rotationChannelId,
      startsOn: plan.startsOn,
      endsOn: plan.endsOn,
      templateId: templateRow.id,
      deliveryLeadId: input.deliveryLeadId ?? null,
      notes: input.notes?.trim() || null,
      createdBy: actor.userId,
      createdAt: deps.now(),
    });
    await insertMilestones(trx, team.id, engagement.id, plan.milestones);
    await recordEvent(trx, {
      teamId: team.id,
      engagementId: engagement.id,
      kind: 'engagement.created',
      actorId: actor.userId,
      at: deps.now(),
      data: {
        clientName,
        channelId: input.channelId,
        clientChannelId,
        startsOn: plan.startsOn,
        endsOn: plan.endsOn,
        templateId: templateRow.id,
      },
    });
    const proposal = await proposeFor(trx, deps.now(), team, engagement, {
      kind: 'owner',
      why: null,
      actorId: actor.userId,
    });
    const queued = await queueProposal(trx, team.id, proposal);
    return ok({
      engagement: {
        id: engagement.id,
        number: engagement.number,
        clientName: engagement.client_name,
        rotationChannelId: engagement.rotation_channel_id,
      },
      plan,
      daysOffWorked:
        team.holiday_region === null && team.extra_holidays.length === 0
          ? commonDaysOffWorked(calendar, plan.startsOn, plan.endsOn)
          : [],
      proposal,
      toSend: [queued],
    });
  }).catch((error: unknown) => {
    // Two people creating an engagement in the same channel at once: the unique index decides.
    if (isUniqueViolation(error, 'engagements_open_channel_unique')) {
      return fail('channel-in-use', 'That channel already has an open engagement.', 'channel');
    }
    if (isUniqueViolation(error, 'engagements_number_unique')) {
      return fail('busy', 'Someone started another engagement at the same moment; submit again.');
    }
    throw error;
  });
}

/**
 * A channel that looks like another client's: it already serves another open engagement of a
 * different client, or its name, topic or purpose names another client. Said once in the form; the
 * person may go ahead (a client can change its name, a channel its topic).
 */
async function mismatchWarning(
  trx: Db,
  teamId: string,
  clientName: string,
  input: NewEngagementInput,
): Promise<{ message: string; field: EngagementField } | null> {
  const open = await listEngagements(trx, teamId, { statuses: ['awaiting_owner', 'active'] });
  const others = open.map((e) => ({
    number: e.number,
    clientName: e.client_name,
    channelId: e.channel_id,
    clientChannelId: e.client_channel_id,
  }));
  const chosen: [EngagementField, ChannelFacts | null | undefined][] = [
    ['channel', input.channels?.engagement],
    ['clientChannel', input.channels?.client],
  ];
  for (const [field, facts] of chosen) {
    if (!facts) continue;
    const mismatch = channelMismatch(facts, clientName, others);
    if (!mismatch) continue;
    const why =
      mismatch.kind === 'serves-other'
        ? `already serves #${mismatch.engagement.number} for ${mismatch.engagement.clientName}`
        : `has a ${mismatch.where} that names ${mismatch.otherClient}`;
    return {
      field,
      message: `#${facts.name} ${why}, not ${clientName}. Check the channel and the client's name; press Create again to go ahead as it is.`,
    };
  }
  return null;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string } | undefined;
  return e?.code === '23505' && e.constraint === constraint;
}
