// The sandbox's made-up workspace: a lead who is a workspace admin (so Steward treats her as a lead
// from the start), four members in a few time zones, the team's rotation channel and, for each of
// eight clients, an internal engagement channel and a channel shared with the client (Slack
// Connect), which Slack reports as externally shared. The database is left empty: a person plays
// the loop themselves.
import type { EmulatedChannel, EmulatedUser } from './slack-emulator.js';

export const SANDBOX_TEAM = { id: 'T0SANDBOX', name: 'Northwind Studio', domain: 'northwind' } as const;

export const SANDBOX_BOT = { userId: 'U0STEWARD', botId: 'B0STEWARD', appId: 'A0STEWARD', name: 'steward' };

export const SANDBOX_PEOPLE: EmulatedUser[] = [
  {
    id: 'U0ANA',
    name: 'ana',
    realName: 'Ana Lima',
    displayName: 'Ana',
    email: 'ana@northwind.example',
    isAdmin: true,
    tz: 'Europe/Lisbon',
  },
  {
    id: 'U0BEN',
    name: 'ben',
    realName: 'Ben Okafor',
    displayName: 'Ben',
    email: 'ben@northwind.example',
    tz: 'Europe/London',
  },
  {
    id: 'U0CHLOE',
    name: 'chloe',
    realName: 'Chloé Martin',
    displayName: 'Chloé',
    email: 'chloe@northwind.example',
    tz: 'Europe/Paris',
  },
  {
    id: 'U0DEV',
    name: 'dev',
    realName: 'Dev Patel',
    displayName: 'Dev',
    email: 'dev@northwind.example',
    tz: 'Europe/Berlin',
  },
  {
    id: 'U0ELIF',
    name: 'elif',
    realName: 'Elif Yılmaz',
    displayName: 'Elif',
    email: 'elif@northwind.example',
    tz: 'Europe/Istanbul',
  },
];

export const ROTATION_CHANNEL_ID = 'C0ROTATION';

/** A client the sandbox has channels for: the team's own channel and the one shared with the client. */
export interface SandboxClient {
  name: string;
  /** the internal engagement channel, where reminders and escalations go */
  internal: { id: string; name: string };
  /** the Slack Connect channel shared with the client's organisation */
  shared: { id: string; name: string };
}

const client = (name: string, key: string, internalName: string): SandboxClient => ({
  name,
  internal: { id: `C0${key.toUpperCase()}`, name: internalName },
  shared: { id: `C0${key.toUpperCase()}EXT`, name: `ext-${key}` },
});

/** Eight clients: enough to plan several engagements at once, each with both kinds of channel. */
export const SANDBOX_CLIENTS: SandboxClient[] = [
  client('Acme GmbH', 'acme', 'acme-rollout'),
  client('Globex Corporation', 'globex', 'globex-launch'),
  client('Initech', 'initech', 'initech-onboarding'),
  client('Hooli', 'hooli', 'hooli-migration'),
  client('Umbrella Health', 'umbrella', 'umbrella-audit'),
  client('Stark Industries', 'stark', 'stark-redesign'),
  client('Wayne Enterprises', 'wayne', 'wayne-analytics'),
  client('Tyrell Corporation', 'tyrell', 'tyrell-pilot'),
];

export const SANDBOX_CHANNELS: EmulatedChannel[] = [
  {
    id: ROTATION_CHANNEL_ID,
    name: 'team-rotation',
    purpose: 'Internal: who owns which client engagement.',
  },
  ...SANDBOX_CLIENTS.map(({ name, internal }) => ({
    ...internal,
    purpose: `Internal: the ${name} engagement.`,
  })),
  ...SANDBOX_CLIENTS.map(({ name, shared }) => ({
    ...shared,
    purpose: `Shared with ${name} (Slack Connect).`,
    isExtShared: true,
  })),
];
