// The workspace every test uses: one team, its people and channels. The Slack harness and the flow
// builders share it, so a flow test and a Slack test speak of the same lead and the same channel.

export const TEAM_ID = 'T0001';

export const PEOPLE = {
  lead: 'U0LEAD',
  ana: 'U0ANA',
  ben: 'U0BEN',
  cat: 'U0CAT',
  dan: 'U0DAN',
  outsider: 'U0OUTSIDER',
} as const;

export const CHANNELS = {
  rotation: 'C0ROTATION',
  acme: 'C0ACME',
  beta: 'C0BETA',
  gamma: 'C0GAMMA',
  /** Shared with the client (Slack Connect), as Slack reports it. */
  acmeClient: 'C0ACMEEXT',
  initechClient: 'C0INITECHEXT',
} as const;

/** `<@U0ANA|ana>`: how Slack escapes a mention in a command's text. */
export const mention = (userId: string) => `<@${userId}|${userId.slice(2).toLowerCase()}>`;
