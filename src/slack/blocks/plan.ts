// Moving an engagement's plan: the shift modal (owner or lead) and the engagement channel's one line
// after a shift or a re-dating. Plan facts only: the engagement channel may be shared with the client.
import type { RedateOffer } from '../../flows/plan-redate.js';
import type { ShiftablePlan } from '../../flows/plan-shift.js';
import type { PlanShift } from '../../domain/plan-shift.js';
import type { PlanChanged, RedateOffered, RedateOfferDone } from '../../flows/scheduled-messages.js';
import { MAX_SHIFT_BUSINESS_DAYS } from '../../domain/plan-shift.js';
import { ACTIONS, SHIFT_FIELDS as F, VIEWS } from '../ids.js';
import {
  button,
  channel,
  clip,
  context,
  escapeText,
  formatDay,
  section,
  user,
  type Message,
  type ModalView,
} from './kit.js';

const plain = (text: string, max = 75) => ({
  type: 'plain_text' as const,
  text: clip(text, max),
  emoji: true,
});

// A select holds at most 100 options.
const OPTIONS_MAX = 100;

export interface ShiftPlanMetadata {
  readonly engagementId: string;
  /** Where the button was, for the confirmation (null: App Home). */
  readonly channelId: string | null;
}

export function shiftPlanModal(plan: ShiftablePlan, channelId: string | null): ModalView {
  const metadata: ShiftPlanMetadata = { engagementId: plan.engagement.id, channelId };
  const options = plan.milestones.slice(0, OPTIONS_MAX).map((m) => ({
    text: plain(`${formatDay(m.dueOn)} · ${m.title}`),
    value: m.id,
  }));
  return {
    type: 'modal',
    callback_id: VIEWS.shiftPlan,
    title: plain('Shift the plan', 24),
    submit: plain('Shift', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(
        `When the client is late, move *#${plan.engagement.number} ${escapeText(plan.engagement.clientName)}*'s ` +
          'remaining milestones from one of them on by a number of business days. Done milestones stay where ' +
          'they are; the end date follows, and the engagement channel is told in one line.',
      ),
      {
        type: 'input',
        block_id: F.milestone.block,
        label: plain('From which milestone'),
        element: {
          type: 'static_select',
          action_id: F.milestone.action,
          options,
          initial_option: options[0]!,
        },
      },
      {
        type: 'input',
        block_id: F.days.block,
        label: plain('By how many business days'),
        hint: plain(
          `A whole number: 3 moves them 3 business days later, -2 two earlier (at most ${MAX_SHIFT_BUSINESS_DAYS}).`,
          150,
        ),
        element: { type: 'plain_text_input', action_id: F.days.action, placeholder: plain('e.g. 3') },
      },
    ],
  };
}

/** The engagement channel's line after the plan moved. */
export function planChangedMessage(m: PlanChanged): Message {
  const label = `#${m.engagement.number} ${escapeText(m.engagement.clientName)}`;
  const c = m.change;
  let text: string;
  if (c.kind === 'shifted') {
    const n = Math.abs(c.days);
    // The milestone named apart from the person: "from X by @ana" read as if Ana had received X.
    const moved = c.fromDueOn
      ? `*${escapeText(c.from)}* is now due ${formatDay(c.fromDueOn)}, and what follows moves with it`
      : `from *${escapeText(c.from)}* on`;
    text =
      `:calendar: *${label}*: plan shifted ${n} business day${n === 1 ? '' : 's'} ${c.days > 0 ? 'later' : 'earlier'} ` +
      `by ${user(c.by)}: ${moved}; the engagement now ends ${formatDay(c.endsOn)}.`;
  } else {
    const moved = c.moves.map((mv) => `${escapeText(mv.title)} to ${formatDay(mv.to)}`).join('; ');
    text =
      `:calendar: *${label}*: moved off days that are no longer business days, by ${user(c.by)}: ${moved}. ` +
      `The engagement now ends ${formatDay(c.endsOn)}.`;
  }
  return { text: clip(text, 2900), blocks: [section(text)] };
}

/** The person who shifted, privately: how many moved, the new end, and each milestone's new date. */
export function shiftedConfirmation(
  engagement: { readonly number: number; readonly clientName: string; readonly channelId: string },
  shift: PlanShift,
): string {
  const n = shift.moves.length;
  const head =
    `Shifted ${n} milestone${n === 1 ? '' : 's'} of #${engagement.number} ${escapeText(engagement.clientName)}: ` +
    `it now ends ${formatDay(shift.endsOn)}. ${channel(engagement.channelId)} has been told.`;
  const dates = shift.moves.map(
    (m) => `• ${formatDay(m.to)}: ${escapeText(m.title)} (was ${formatDay(m.from)})`,
  );
  return clip([head, ...dates].join('\n'), 3000);
}

export const REDATE_BLOCK = 'redate_offer';

/**
 * The lead's answer after the holidays or time zone changed, when open milestones now fall on days
 * off: what was saved, and one click to move them to the next business day.
 */
export function redateOfferMessage(saved: string, offer: RedateOffer): Message {
  const n = offer.milestones;
  return {
    text: `${saved}\n${n} open milestone${n === 1 ? '' : 's'} now fall${n === 1 ? 's' : ''} on a day off.`,
    blocks: [
      section(saved),
      section(
        `:calendar: With these settings, *${n} open milestone${n === 1 ? '' : 's'}* in ` +
          `${offer.engagements} engagement${offer.engagements === 1 ? '' : 's'} now fall${n === 1 ? 's' : ''} ` +
          'on a weekend or holiday. Nothing moves unless you say so: each would move to the next business ' +
          'day, and each engagement channel is told.',
      ),
      {
        type: 'actions',
        block_id: REDATE_BLOCK,
        elements: [button(ACTIONS.redateMilestones, offer.label, 'redate', 'primary')],
      },
      context(
        "Every lead is offered it in the rotation channel and in App Home's Waiting on you; the first click re-dates, once.",
      ),
    ],
  };
}

const milestonesIn = (m: { milestones: number; engagements: number }) =>
  `${m.milestones} open milestone${m.milestones === 1 ? '' : 's'} in ${m.engagements} engagement${m.engagements === 1 ? '' : 's'}`;

/**
 * The rotation channel's offer after a lead changed the team's calendar: every lead sees it, and any
 * lead's click re-dates (a member's is refused).
 */
export function redateOfferPost(m: RedateOffered): Message {
  const falls = m.milestones === 1 ? 'falls' : 'fall';
  const text = `${user(m.changedBy)} changed the team's holidays or time zone: ${milestonesIn(m)} now ${falls} on a weekend or holiday.`;
  return {
    text,
    blocks: [
      section(
        `:calendar: ${text} Nothing moves unless a lead says so: each would move to the next business day, ` +
          'and each engagement channel is told.',
      ),
      {
        type: 'actions',
        block_id: REDATE_BLOCK,
        elements: [
          button(
            ACTIONS.redateMilestones,
            `Re-date ${m.milestones} milestone${m.milestones === 1 ? '' : 's'} in ${m.engagements} engagement${m.engagements === 1 ? '' : 's'}`,
            'redate',
            'primary',
          ),
        ],
      },
      context(
        "Any lead can do it, here or from App Home; it is done once and recorded in each engagement's history.",
      ),
    ],
  };
}

/** The offer once a lead re-dated: who, when, which channels were told; no button left. */
export function redateOfferDoneMessage(m: RedateOfferDone): Message {
  const told =
    m.channelIds.length === 0
      ? ''
      : `: ${m.channelIds.length} engagement channel${m.channelIds.length === 1 ? '' : 's'} told (${m.channelIds.map((c) => channel(c)).join(', ')})`;
  const text = `:white_check_mark: Re-dated by ${user(m.by)} on ${formatDay(m.on)}${told}.`;
  return {
    text: `${user(m.offer.changedBy)} changed the team's holidays or time zone; re-dated by ${user(m.by)}.`,
    blocks: [
      section(
        `:calendar: ${user(m.offer.changedBy)} changed the team's holidays or time zone: ${milestonesIn(m.offer)} fell on a weekend or holiday.`,
      ),
      context(text),
    ],
  };
}

/** What a lead's click on the re-date offer did, replacing the offer. */
export function redatedAnswer(engagements: readonly { channelId: string }[], by: string): Message {
  const text =
    engagements.length === 0
      ? 'Nothing falls on a day off any more: nothing to re-date.'
      : `:white_check_mark: Re-dated by ${user(by)}: ${engagements.length} engagement channel${engagements.length === 1 ? '' : 's'} told (${engagements.map((e) => `<#${e.channelId}>`).join(', ')}).`;
  return { text, blocks: [section(text), context("Recorded in each engagement's history.")] };
}
