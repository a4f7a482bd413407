// Which channels a client can see, and whether a channel looks like another client's. Slack says
// how a channel is shared (conversations.info); these decisions read what it said.

/**
 * The kinds of message written for the client's eyes (owner, plan dates, the owner's own status
 * update): the only ones ever sent to a channel a client can read.
 */
export const CLIENT_SAFE_KINDS: ReadonlySet<string> = new Set([
  'client-kickoff',
  'client-kickoff-update',
  'client-status',
]);

/** What Slack says of a channel, in the words Steward needs. */
export interface ChannelFacts {
  readonly id: string;
  readonly name: string;
  readonly topic: string;
  readonly purpose: string;
  /** Shared with another organisation (Slack Connect). */
  readonly isExtShared: boolean;
  /** Shared with any other workspace, in this organisation or another. */
  readonly isShared: boolean;
  /** Shared with other workspaces of the same organisation (Enterprise Grid): still internal. */
  readonly isOrgShared: boolean;
  /** Invited to Slack Connect and not accepted yet: outsiders may join at any moment. */
  readonly isPendingExtShared: boolean;
}

/**
 * Whether people outside the organisation can (or soon may) read the channel. A share Slack does not
 * name as the organisation's own counts as outside: a client must never be shown internal detail
 * because a flag was missing.
 */
export function isSharedOutside(
  facts: Pick<ChannelFacts, 'isExtShared' | 'isShared' | 'isOrgShared' | 'isPendingExtShared'>,
): boolean {
  return facts.isExtShared || facts.isPendingExtShared || (facts.isShared && !facts.isOrgShared);
}

/** Another open engagement, as far as a channel check needs it. */
export interface OtherEngagement {
  readonly number: number;
  readonly clientName: string;
  readonly channelId: string;
  readonly clientChannelId: string | null;
}

/** Why a channel looks like it belongs to another client (said as a warning, not a refusal). */
export type ChannelMismatch =
  | { readonly kind: 'serves-other'; readonly engagement: OtherEngagement }
  | {
      readonly kind: 'names-other';
      readonly otherClient: string;
      readonly where: 'name' | 'topic' | 'purpose';
    };

/** Lower case, accents and punctuation gone, words split: how names are compared. */
function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

// Words that say what kind of company it is, not which: "Acme GmbH" and "acme" are one client.
const LEGAL_FORMS = new Set([
  'gmbh',
  'ag',
  'inc',
  'ltd',
  'llc',
  'plc',
  'sa',
  'sas',
  'sarl',
  'bv',
  'nv',
  'co',
  'corp',
  'corporation',
  'company',
  'group',
  'the',
  'and',
]);

/** The words that identify a client: its name without legal forms. */
function clientWords(clientName: string): string[] {
  const all = words(clientName);
  const kept = all.filter((w) => !LEGAL_FORMS.has(w));
  return kept.length > 0 ? kept : all;
}

/** Whether a text names the client: its identifying words appear together, in order. */
export function mentionsClient(text: string, clientName: string): boolean {
  const needle = clientWords(clientName);
  if (needle.length === 0) return false;
  const hay = words(text);
  for (let i = 0; i + needle.length <= hay.length; i++) {
    if (needle.every((w, j) => hay[i + j] === w)) return true;
  }
  // Channel names often run words together ("wayneenterprises").
  const joined = needle.join('');
  return joined.length >= 4 && hay.some((w) => w === joined || w.startsWith(joined));
}

// "Shared with Initech", "Shared with Initech (Slack Connect)": how a Slack Connect channel's topic
// or purpose usually names the organisation it is shared with.
const SHARED_WITH = /\bshared with\s+(.+?)(?:\s*[(.,;:|]|$)/i;

/**
 * Why a channel chosen for `clientName` looks like another client's, or null. It warns when the
 * channel already serves another open engagement of a different client, or when its name, topic or
 * purpose names a client other than this one (another engagement's client, or the organisation a
 * "Shared with …" line names) and not this one.
 */
export function channelMismatch(
  facts: Pick<ChannelFacts, 'id' | 'name' | 'topic' | 'purpose'>,
  clientName: string,
  others: readonly OtherEngagement[],
): ChannelMismatch | null {
  const sameClient = (name: string) => clientWords(name).join(' ') === clientWords(clientName).join(' ');
  const serving = others.find(
    (o) => (o.channelId === facts.id || o.clientChannelId === facts.id) && !sameClient(o.clientName),
  );
  if (serving) return { kind: 'serves-other', engagement: serving };

  const texts = [
    ['name', facts.name],
    ['topic', facts.topic],
    ['purpose', facts.purpose],
  ] as const;
  // A channel that names this client anywhere is taken to be this client's.
  if (texts.some(([, text]) => mentionsClient(text, clientName))) return null;
  for (const [where, text] of texts) {
    const sharedWith = SHARED_WITH.exec(text)?.[1]?.trim();
    if (sharedWith && !sameClient(sharedWith)) return { kind: 'names-other', otherClient: sharedWith, where };
    const named = others.find((o) => !sameClient(o.clientName) && mentionsClient(text, o.clientName));
    if (named) return { kind: 'names-other', otherClient: named.clientName, where };
  }
  return null;
}
