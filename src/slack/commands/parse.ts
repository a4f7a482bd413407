// `/engagement <subcommand> …` as typed, turned into what was meant, or into a one-line answer saying
// what was wrong and how to write it. Pure: no Slack, no database.
import { COMMAND } from '../ids.js';
import { closestWords, didYouMean } from './did-you-mean.js';

/** A person mentioned in a command: Slack escapes `@dana` to `<@U123|dana>` (should_escape). */
export interface Mention {
  readonly userId: string;
  /** The handle Slack put after the `|`, when it did. */
  readonly label: string | null;
}

export type EngagementCommand =
  | { readonly kind: 'new' | 'list' | 'load' | 'templates' | 'help' }
  | {
      readonly kind: 'away';
      readonly who: Mention | null;
      readonly startsOn: string;
      readonly endsOn: string;
    }
  | { readonly kind: 'back'; readonly who: Mention | null }
  | { readonly kind: 'team' | 'lead'; readonly op: 'add' | 'remove'; readonly people: readonly Mention[] }
  | { readonly kind: 'capacity'; readonly who: Mention; readonly capacity: number }
  | { readonly kind: 'reassign' | 'close'; readonly number: number; readonly reason: string | null }
  | { readonly kind: 'history'; readonly number: number }
  | { readonly kind: 'buddy'; readonly number: number; readonly who: Mention | null }
  | { readonly kind: 'channel'; readonly number: number; readonly channelId: string }
  | { readonly kind: 'settings'; readonly change: SettingsChange | null }
  | {
      readonly kind: 'report';
      readonly csv: boolean;
      readonly from: string | null;
      readonly to: string | null;
    }
  | { readonly kind: 'prefer'; readonly who: Mention | null; readonly interest: 'more' | 'fewer' | 'normal' }
  | { readonly kind: 'pause'; readonly who: Mention | null; readonly until: string | null }
  | { readonly kind: 'wishes' }
  | { readonly kind: 'malformed'; readonly problem: string; readonly usage: string };

/** One change to the team's settings, as typed (validated by the flow). */
export type SettingsChange =
  | { readonly timeZone: string }
  | { readonly reminderTime: string }
  | { readonly holidayRegion: string | null; readonly extraHolidays: readonly string[] }
  | { readonly rotationChannel: 'here' }
  | { readonly proposeDaysAhead: number };

export const USAGE = {
  new: `${COMMAND} new`,
  list: `${COMMAND} list`,
  load: `${COMMAND} load`,
  away: `${COMMAND} away @person YYYY-MM-DD YYYY-MM-DD`,
  back: `${COMMAND} back @person`,
  team: `${COMMAND} team add|remove @person… | team capacity @person N`,
  lead: `${COMMAND} lead add|remove @person…`,
  reassign: `${COMMAND} reassign #number [why]`,
  history: `${COMMAND} history #number`,
  buddy: `${COMMAND} buddy #number @person|none`,
  close: `${COMMAND} close #number [why]`,
  channel: `${COMMAND} channel #number #internal-channel`,
  templates: `${COMMAND} templates`,
  report: `${COMMAND} report [csv] [YYYY-MM-DD YYYY-MM-DD]`,
  prefer: `${COMMAND} prefer more|fewer|normal [@person]`,
  pause: `${COMMAND} pause [@person] until YYYY-MM-DD | pause [@person] off`,
  wishes: `${COMMAND} wishes`,
  settings: `${COMMAND} settings [timezone Area/City | reminders HH:MM | holidays REGION|none [YYYY-MM-DD…] | rotation-channel | lead-time DAYS]`,
  help: `${COMMAND} help`,
} as const;

export type Subcommand = keyof typeof USAGE;

export const ALL_USAGE = `Usage: ${COMMAND} ${Object.keys(USAGE).join(' | ')}`;

export const HELP_LINES: readonly [string, string][] = [
  [USAGE.new, 'start an engagement (a form), and Steward proposes its owner'],
  [USAGE.list, 'open engagements, their owners and next milestones'],
  [USAGE.load, "the team's workload and who is next in the rotation"],
  [USAGE.away, 'record time away (dates inclusive)'],
  [USAGE.back, 'cancel time away from today on'],
  [
    USAGE.team,
    'leads: who is in the rotation, and how many overlapping engagements each may own (0: never proposed)',
  ],
  [USAGE.lead, 'leads: who approves owners and hears escalations'],
  [USAGE.reassign, 'leads: propose a new owner mid-flight'],
  [USAGE.history, "an engagement's story: who decided what, and when"],
  [USAGE.buddy, "leads: pick a first-time owner's buddy (someone who has owned one), or none"],
  [USAGE.close, 'leads: close an engagement'],
  [
    USAGE.channel,
    "leads: name an engagement's internal channel (reminders, overdue lists), e.g. when its channel turned out to be shared with the client",
  ],
  [USAGE.templates, 'the plan templates; leads create and edit them'],
  [
    USAGE.report,
    'who has had how much client exposure, weighed by availability (default: the last 12 months); `csv` sends a spreadsheet and a chart to your DM',
  ],
  [USAGE.prefer, 'ask for more or fewer turns than the round robin gives (yourself; leads for anyone)'],
  [USAGE.pause, 'no turns until that day (yourself; leads for anyone); `off` ends it'],
  [USAGE.wishes, 'leads: who asked for more, fewer or a pause'],
  [
    USAGE.settings,
    "the team's time zone, reminder time, holidays, rotation channel (this one) and how early owners are re-proposed; leads change them",
  ],
];

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^#?(\d{1,9})$/;

const malformed = (problem: string, sub?: Subcommand): EngagementCommand => ({
  kind: 'malformed',
  problem,
  usage: sub ? `Usage: ${USAGE[sub]}` : ALL_USAGE,
});

export function parseMention(token: string): Mention | null {
  const match = MENTION.exec(token);
  return match ? { userId: match[1]!, label: match[2] || null } : null;
}

/** A token that should have been a mention but isn't one Slack resolved (e.g. a typo'd `@dana`). */
function notAMention(token: string): string {
  return token.startsWith('@')
    ? `I can't find ${token}: pick the person from Slack's @ list so it becomes a mention.`
    : `"${token}" is not a person: mention them with @.`;
}

export function parseCommand(text: string): EngagementCommand {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = tokens;
  const sub = first?.toLowerCase();
  switch (sub) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'new':
    case 'list':
    case 'load':
    case 'templates':
      return rest.length === 0 ? { kind: sub } : malformed(`\`${sub}\` takes nothing after it.`, sub);
    case 'away':
      return parseAway(rest);
    case 'back': {
      if (rest.length === 0) return { kind: 'back', who: null };
      const who = rest.length === 1 ? parseMention(rest[0]!) : null;
      return who
        ? { kind: 'back', who }
        : malformed(rest.length === 1 ? notAMention(rest[0]!) : 'Name one person.', 'back');
    }
    case 'team':
    case 'lead':
      return parsePeopleChange(sub, rest);
    case 'reassign':
    case 'close': {
      const match = rest[0] ? NUMBER.exec(rest[0]) : null;
      if (!match) return malformed('Say which engagement, by its number (e.g. `#3`).', sub);
      const reason = rest.slice(1).join(' ').trim();
      return { kind: sub, number: Number(match[1]), reason: reason === '' ? null : reason };
    }
    case 'history': {
      const match = rest.length === 1 ? NUMBER.exec(rest[0]!) : null;
      return match
        ? { kind: 'history', number: Number(match[1]) }
        : malformed('Say which engagement, by its number (e.g. `#3`).', 'history');
    }
    case 'channel':
      return parseChannel(rest);
    case 'buddy':
      return parseBuddy(rest);
    case 'settings':
      return parseSettings(rest);
    case 'report':
      return parseReport(rest);
    case 'prefer':
      return parsePrefer(rest);
    case 'pause':
      return parsePause(rest);
    case 'wishes':
      return rest.length === 0 ? { kind: 'wishes' } : malformed('`wishes` takes nothing after it.', 'wishes');
    default:
      return unknownSubcommand(first!);
  }
}

const SUBCOMMANDS = Object.keys(USAGE) as Subcommand[];

/** An unknown subcommand: the nearest ones, when it looks like a typo of them, with their usage. */
function unknownSubcommand(typed: string): EngagementCommand {
  const shown = `\`${typed.slice(0, 40)}\``;
  const suggestion = didYouMean(typed, SUBCOMMANDS);
  if (!suggestion) return malformed(`I don't know ${shown}.`);
  const [only, ...others] = closestWords(typed, SUBCOMMANDS) as Subcommand[];
  return malformed(`I don't know ${shown}: ${suggestion}`, others.length === 0 ? only : undefined);
}

const CHANNEL_REF = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/;

function parseChannel(rest: readonly string[]): EngagementCommand {
  const match = rest[0] ? NUMBER.exec(rest[0]) : null;
  if (!match) return malformed('Say which engagement, by its number (e.g. `#3`).', 'channel');
  const channel = rest.length === 2 ? CHANNEL_REF.exec(rest[1]!) : null;
  if (!channel)
    return malformed("Name the team's internal channel with #, picked from Slack's list.", 'channel');
  return { kind: 'channel', number: Number(match[1]), channelId: channel[1]! };
}

function parseBuddy(rest: readonly string[]): EngagementCommand {
  const match = rest[0] ? NUMBER.exec(rest[0]) : null;
  if (!match) return malformed('Say which engagement, by its number (e.g. `#3`).', 'buddy');
  if (rest.length !== 2) return malformed('Name one person with @, or `none`.', 'buddy');
  if (rest[1]!.toLowerCase() === 'none') return { kind: 'buddy', number: Number(match[1]), who: null };
  const who = parseMention(rest[1]!);
  return who ? { kind: 'buddy', number: Number(match[1]), who } : malformed(notAMention(rest[1]!), 'buddy');
}

function parseAway(rest: readonly string[]): EngagementCommand {
  // Your own time away may leave out the mention: `/engagement away 2026-12-21 2026-12-31`.
  const who = rest[0] ? parseMention(rest[0]) : null;
  const dates = who ? rest.slice(1) : rest;
  if (!who && rest[0] && !DATE.test(rest[0])) return malformed(notAMention(rest[0]), 'away');
  if (dates.length !== 2 || !dates.every((d) => DATE.test(d))) {
    return malformed('Give the first and the last day away, as YYYY-MM-DD.', 'away');
  }
  return { kind: 'away', who, startsOn: dates[0]!, endsOn: dates[1]! };
}

/** Most engagements anyone could sensibly own at once; beyond it is a typo. */
export const MAX_CAPACITY = 10;

function parsePeopleChange(sub: 'team' | 'lead', rest: readonly string[]): EngagementCommand {
  const op = rest[0]?.toLowerCase();
  if (sub === 'team' && op === 'capacity') return parseCapacity(rest.slice(1));
  if (op !== 'add' && op !== 'remove') {
    const ops = sub === 'team' ? ['add', 'remove', 'capacity'] : ['add', 'remove'];
    const typo = rest[0] ? didYouMean(rest[0], ops) : null;
    const said = sub === 'team' ? 'Say `add`, `remove` or `capacity`' : 'Say `add` or `remove`';
    return malformed(`${said}, then the people${typo ? `: ${typo}` : '.'}`, sub);
  }
  const tokens = rest
    .slice(1)
    .flatMap((t) => t.split(','))
    .filter(Boolean);
  if (tokens.length === 0) return malformed('Name at least one person with @.', sub);
  const people: Mention[] = [];
  for (const token of tokens) {
    const mention = parseMention(token);
    if (!mention) return malformed(notAMention(token), sub);
    people.push(mention);
  }
  return { kind: sub, op, people };
}

const SETTINGS = ['timezone', 'reminders', 'holidays', 'rotation-channel', 'lead-time'];

function parseCapacity(args: readonly string[]): EngagementCommand {
  if (args.length !== 2) return malformed('Name one person and a number, e.g. `@dana 1`.', 'team');
  const who = parseMention(args[0]!);
  if (!who) return malformed(notAMention(args[0]!), 'team');
  const n = /^\d{1,2}$/.test(args[1]!) ? Number(args[1]) : NaN;
  if (!(n <= MAX_CAPACITY)) {
    return malformed(
      `The capacity is a whole number from 0 (never proposed) to ${MAX_CAPACITY}, not "${args[1]!.slice(0, 20)}".`,
      'team',
    );
  }
  return { kind: 'capacity', who, capacity: n };
}

function parseSettings(rest: readonly string[]): EngagementCommand {
  const [what, ...args] = rest;
  const setting = what?.toLowerCase();
  const one = (make: (value: string) => SettingsChange): EngagementCommand =>
    args.length === 1
      ? { kind: 'settings', change: make(args[0]!) }
      : malformed(`Give one value after \`${setting}\`.`, 'settings');
  switch (setting) {
    case undefined:
      return { kind: 'settings', change: null };
    case 'timezone':
    case 'tz':
      return one((timeZone) => ({ timeZone }));
    case 'reminders':
    case 'reminder-time':
      return one((reminderTime) => ({ reminderTime }));
    case 'lead-time': {
      const days = args.length === 1 && /^\d{1,2}$/.test(args[0]!) ? Number(args[0]) : null;
      return days === null
        ? malformed('Give the business days ahead of the start, e.g. `5`.', 'settings')
        : { kind: 'settings', change: { proposeDaysAhead: days } };
    }
    case 'rotation-channel':
      return args.length === 0
        ? { kind: 'settings', change: { rotationChannel: 'here' } }
        : malformed(
            'Run it in the channel that should become the rotation channel, with nothing after it.',
            'settings',
          );
    case 'holidays': {
      const [region, ...dates] = args;
      if (!region) return malformed('Give a holiday region (e.g. `DE-BE`, `US-NY`) or `none`.', 'settings');
      if (!dates.every((d) => DATE.test(d)))
        return malformed('Extra days off are dates written YYYY-MM-DD.', 'settings');
      return {
        kind: 'settings',
        change: {
          holidayRegion: region.toLowerCase() === 'none' ? null : region.toUpperCase(),
          extraHolidays: dates,
        },
      };
    }
    default: {
      const typo = didYouMean(what!, SETTINGS);
      return malformed(
        `There is no setting \`${what!.slice(0, 40)}\`${typo ? `: ${typo}` : '.'}`,
        'settings',
      );
    }
  }
}

function parseReport(rest: readonly string[]): EngagementCommand {
  const csv = rest[0]?.toLowerCase() === 'csv';
  const dates = csv ? rest.slice(1) : rest;
  if (dates.length === 0) return { kind: 'report', csv, from: null, to: null };
  if (dates.length !== 2 || !dates.every((d) => DATE.test(d))) {
    return malformed(
      'Give the period as its first and last day, YYYY-MM-DD, or nothing for the last 12 months.',
      'report',
    );
  }
  return { kind: 'report', csv, from: dates[0]!, to: dates[1]! };
}

const INTERESTS = ['more', 'fewer', 'normal'] as const;

function parsePrefer(rest: readonly string[]): EngagementCommand {
  const [wish, ...others] = rest;
  const interest = INTERESTS.find((i) => i === wish?.toLowerCase());
  if (!interest) {
    const typo = wish ? didYouMean(wish, INTERESTS) : null;
    return malformed(`Say \`more\`, \`fewer\` or \`normal\`${typo ? `: ${typo}` : '.'}`, 'prefer');
  }
  if (others.length === 0) return { kind: 'prefer', who: null, interest };
  const who = others.length === 1 ? parseMention(others[0]!) : null;
  return who
    ? { kind: 'prefer', who, interest }
    : malformed(others.length === 1 ? notAMention(others[0]!) : 'Name one person.', 'prefer');
}

function parsePause(rest: readonly string[]): EngagementCommand {
  // `pause until 2027-01-31`, `pause @dana until 2027-01-31`, `pause off`, `pause @dana off`.
  const who = rest[0] ? parseMention(rest[0]) : null;
  const args = who ? rest.slice(1) : rest;
  if (!who && rest[0] && rest[0].startsWith('<@')) return malformed(notAMention(rest[0]), 'pause');
  if (args.length === 1 && args[0]!.toLowerCase() === 'off') return { kind: 'pause', who, until: null };
  if (args.length === 2 && args[0]!.toLowerCase() === 'until' && DATE.test(args[1]!)) {
    return { kind: 'pause', who, until: args[1]! };
  }
  if (!who && args[0] && !['until', 'off'].includes(args[0].toLowerCase()) && !DATE.test(args[0])) {
    return malformed(notAMention(args[0]), 'pause');
  }
  return malformed('Say `until` and the last day of the pause, YYYY-MM-DD (or `off` to end it).', 'pause');
}
