// The risk register as people see it: the add and resolve modals, the owner's register DM, the
// leads' DM about a high/high risk and the rotation channel's line. All internal: never a channel
// the client may see.
import type { RiskChange, RiskEngagement, RiskView } from '../../flows/risks.js';
import type { RiskNotice } from '../../flows/scheduled-messages.js';

/** What a risk message shows: the risk, its engagement, the open register. */
type RiskFacts = Pick<RiskChange, 'risk' | 'engagement' | 'register'>;
import { ACTIONS, RESOLVE_RISK_FIELDS, RISK_FIELDS as F, VIEWS } from '../ids.js';
import {
  button,
  clip,
  context,
  escapeText,
  section,
  user,
  type KnownBlock,
  type Message,
  type ModalView,
} from './kit.js';

const plain = (text: string, max = 75) => ({
  type: 'plain_text' as const,
  text: clip(text, max),
  emoji: true,
});
const label = (e: Pick<RiskEngagement, 'number' | 'clientName'>) => `#${e.number} ${e.clientName}`;

export const RISK_BLOCKS = {
  /** `risk_<id>`: one risk's Resolve button. */
  risk: (riskId: string) => `risk_${riskId}`,
} as const;

const LEVELS = [
  { value: 'low', text: 'Low' },
  { value: 'medium', text: 'Medium' },
  { value: 'high', text: 'High' },
] as const;

const levelSelect = (actionId: string) => {
  const options = LEVELS.map((l) => ({ text: plain(l.text), value: l.value }));
  return { type: 'static_select' as const, action_id: actionId, options, initial_option: options[1]! };
};

export interface AddRiskMetadata {
  readonly engagementId: string;
  /** Where the button was, for the confirmation. */
  readonly channelId: string | null;
}

export function addRiskModal(engagement: RiskEngagement, channelId: string | null): ModalView {
  const metadata: AddRiskMetadata = { engagementId: engagement.id, channelId };
  return {
    type: 'modal',
    callback_id: VIEWS.addRisk,
    title: plain('Add a risk', 24),
    submit: plain('Add risk'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(
        `A risk for *${escapeText(label(engagement))}*. The owner and the leads see the register; the team's rotation channel sees its title and who added it; the client never sees it.`,
      ),
      {
        type: 'input',
        block_id: F.title.block,
        label: plain('What could go wrong?'),
        element: {
          type: 'plain_text_input',
          action_id: F.title.action,
          placeholder: plain('e.g. Client inputs late'),
        },
      },
      {
        type: 'input',
        block_id: F.likelihood.block,
        label: plain('Likelihood'),
        element: levelSelect(F.likelihood.action),
      },
      {
        type: 'input',
        block_id: F.impact.block,
        label: plain('Impact'),
        element: levelSelect(F.impact.action),
      },
      {
        type: 'input',
        block_id: F.owner.block,
        optional: true,
        label: plain("Risk's owner"),
        hint: plain("Who watches it; the engagement's owner if left empty.", 2000),
        element: {
          type: 'users_select',
          action_id: F.owner.action,
          ...(engagement.ownerId ? { initial_user: engagement.ownerId } : {}),
        },
      },
      {
        type: 'input',
        block_id: F.mitigation.block,
        optional: true,
        label: plain('Mitigation'),
        element: { type: 'plain_text_input', action_id: F.mitigation.action, multiline: true },
      },
    ],
  };
}

export interface ResolveRiskMetadata {
  readonly riskId: string;
  readonly channelId: string | null;
}

export function resolveRiskModal(risk: RiskView, channelId: string | null): ModalView {
  const metadata: ResolveRiskMetadata = { riskId: risk.id, channelId };
  return {
    type: 'modal',
    callback_id: VIEWS.resolveRisk,
    title: plain('Resolve a risk', 24),
    submit: plain('Resolve'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(`Resolve *${escapeText(risk.title)}*?`),
      {
        type: 'input',
        block_id: RESOLVE_RISK_FIELDS.note.block,
        label: plain('How was it resolved?'),
        element: { type: 'plain_text_input', action_id: RESOLVE_RISK_FIELDS.note.action, multiline: true },
      },
    ],
  };
}

const LEVEL_WORD: Record<RiskView['likelihood'], string> = { low: 'low', medium: 'medium', high: 'high' };

/** `Client inputs late (likelihood high, impact high) · owner @ana · mitigation: …` */
export function riskLine(r: RiskView): string {
  const owner = r.ownerId ? ` · owner ${user(r.ownerId)}` : '';
  const mitigation = r.mitigation ? ` · mitigation: _${escapeText(clip(r.mitigation, 300))}_` : '';
  const alarm = r.likelihood === 'high' && r.impact === 'high' ? ':red_circle: ' : ':warning: ';
  return `${alarm}*${escapeText(r.title)}* (likelihood ${LEVEL_WORD[r.likelihood]}, impact ${LEVEL_WORD[r.impact]})${owner}${mitigation}`;
}

// A section and a button per risk: 20 risks fit a message's 50 blocks with room to spare.
const RISKS_SHOWN = 20;

/** The owner's DM: the engagement's open risks, each with **Resolve**. */
export function riskRegisterDm(
  change: Pick<RiskFacts, 'engagement' | 'register'>,
  headline: string,
): Message {
  const n = change.register.length;
  const blocks: KnownBlock[] = [
    section(
      n === 0 ? headline : `${headline}\n*Open risks on ${escapeText(label(change.engagement))}: ${n}*`,
    ),
  ];
  if (n === 0) blocks.push(context('No open risks left.'));
  for (const r of change.register.slice(0, RISKS_SHOWN)) {
    blocks.push({
      type: 'section',
      block_id: RISK_BLOCKS.risk(r.id),
      text: { type: 'mrkdwn', text: clip(riskLine(r), 3000) },
      accessory: button(ACTIONS.resolveRisk, 'Resolve', r.id),
    });
  }
  if (change.register.length > RISKS_SHOWN) {
    blocks.push(context(`and ${change.register.length - RISKS_SHOWN} more open risks: see App Home`));
  }
  blocks.push(
    context(
      'Internal: the client never sees the register. The status-update draft lists these for you alone.',
    ),
  );
  return { text: `Risk register of ${label(change.engagement)}: ${change.register.length} open`, blocks };
}

/** Who did it, as the owner reading their register DM sees it: themselves as "You". */
const who = (change: RiskFacts, by: string) => (by === change.engagement.ownerId ? 'You' : user(by));

export function riskAddedHeadline(change: RiskFacts, by: string): string {
  return `:clipboard: ${who(change, by)} added a risk to *${escapeText(label(change.engagement))}*: ${escapeText(change.risk.title)}`;
}

export function riskResolvedHeadline(change: RiskFacts, by: string): string {
  // The note is the person's own sentence: shown as written, without a full stop of ours after it.
  return `:white_check_mark: ${who(change, by)} resolved *${escapeText(change.risk.title)}* on *${escapeText(label(change.engagement))}*: _${escapeText(change.risk.resolution ?? '')}_`;
}

/** A lead's DM, once per risk: a high-likelihood, high-impact risk. */
export function highRiskDm(change: RiskFacts, by: string): Message {
  return {
    text: `High risk on ${label(change.engagement)}: ${change.risk.title}`,
    blocks: [
      section(
        `:rotating_light: *High likelihood, high impact* on *${escapeText(label(change.engagement))}*, added by ${user(by)}:\n${riskLine(change.risk)}`,
      ),
      context("You hear of each high/high risk once. It stays in App Home until it's resolved."),
    ],
  };
}

/** The DM to the person named as a risk's owner: what they watch, on which engagement, and for whom. */
export function riskWatcherDm(change: RiskFacts, by: string): Message {
  const owner = change.engagement.ownerId ? ` (engagement owner ${user(change.engagement.ownerId)})` : '';
  return {
    text: `You watch a risk on ${label(change.engagement)}: ${change.risk.title}`,
    blocks: [
      section(
        `:eyes: ${user(by)} named you as the owner of a risk on *${escapeText(label(change.engagement))}*${owner}:\n${riskLine(change.risk)}`,
      ),
      context(
        'Keep an eye on it and tell the engagement owner when it changes; the owner or a lead resolves it. Internal: the client never sees it.',
      ),
    ],
  };
}

/** The rotation channel's line (internal). */
export function riskAddedLine(change: RiskFacts, by: string): string {
  return `:warning: Risk added to ${escapeText(label(change.engagement))} by ${user(by)}: ${escapeText(change.risk.title)} (likelihood ${change.risk.likelihood}, impact ${change.risk.impact})`;
}

/** A queued risk notice, rendered for its audience. */
export function riskNoticeMessage(m: RiskNotice): Message {
  const change = { risk: m.risk, engagement: m.engagement, register: m.register };
  switch (m.audience) {
    case 'rotation': {
      const line = riskAddedLine(change, m.by);
      return { text: line, blocks: [section(line)] };
    }
    case 'owner':
      return riskRegisterDm(
        change,
        m.change === 'added' ? riskAddedHeadline(change, m.by) : riskResolvedHeadline(change, m.by),
      );
    case 'lead':
      return highRiskDm(change, m.by);
    case 'watcher':
      return riskWatcherDm(change, m.by);
  }
}
