// The sandbox's made-up workspace: a lead who is a workspace admin (so Steward treats her as a lead
// from the start, DESIGN §1), four members in a few time zones, the team's rotation channel and
// three engagement channels. The database is left empty: a person plays the loop themselves.
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

export const SANDBOX_CHANNELS: EmulatedChannel[] = [
  {
    id: ROTATION_CHANNEL_ID,
    name: 'team-rotation',
    purpose: 'Internal: who owns which client engagement.',
  },
  {
    id: 'C0ACME',
    name: 'acme-rollout',
    purpose: 'Shared with Acme GmbH (Slack Connect).',
  },
  {
    id: 'C0GLOBEX',
    name: 'globex-launch',
    purpose: 'Shared with Globex Corporation (Slack Connect).',
  },
  {
    id: 'C0INITECH',
    name: 'initech-onboarding',
    purpose: 'Shared with Initech (Slack Connect).',
  },
];
