// App Home's exposure block: your own turns, and for leads the team's balance, who is flagged and
// the full report. Its own builder, appended after the team's sections.
import type { HomeExposure } from '../../flows/exposure-report.js';
import type { Candidate } from '../../domain/rotation.js';
import { ACTIONS } from '../ids.js';
import { button, context, divider, formatDay, section, type KnownBlock, user } from './kit.js';
import { balanceLine } from './report.js';

export function exposureHomeBlocks(
  exposure: HomeExposure,
  me: string,
  queue: readonly Pick<Candidate, 'userId'>[] | null,
): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (exposure.mine) {
    const { mine } = exposure;
    const position = queue ? queue.findIndex((c) => c.userId === me) : -1;
    const next =
      mine.pausedUntil !== null
        ? `paused until ${formatDay(mine.pausedUntil, true)}`
        : position === 0
          ? 'you are next in the rotation'
          : position > 0
            ? `${ordinal(position + 1)} in the rotation queue`
            : 'not in the rotation queue right now';
    const wish =
      mine.interest === 'more'
        ? ' You asked for more turns.'
        : mine.interest === 'fewer'
          ? ' You asked for fewer turns.'
          : '';
    blocks.push(
      divider(),
      section(
        `*Your exposure*\n${mine.turnsThisYear} turn${mine.turnsThisYear === 1 ? '' : 's'} as owner this year · ` +
          `${turns(mine)} · next: ${next}.${wish}`,
      ),
      context(
        '`/engagement prefer more|fewer|normal` and `/engagement pause until YYYY-MM-DD` tell Steward what you want.',
      ),
    );
  }
  if (exposure.team) {
    const { team } = exposure;
    const flagged =
      team.flagged.length === 0
        ? 'Nobody has gone six months without a turn while others had one.'
        : `No turn in six months: ${team.flagged.map((f) => user(f.userId)).join(', ')}.`;
    blocks.push(
      divider(),
      section(
        `*Fairness, ${formatDay(team.from, true)} – ${formatDay(team.to, true)}*\n${balanceLine(team)}\n${flagged}`,
      ),
      {
        type: 'actions',
        block_id: 'home_report',
        elements: [button(ACTIONS.homeReport, 'Full report', 'report')],
      },
    );
  }
  return blocks;
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** The last turn and, approved but not begun, the coming one. */
function turns(mine: { lastTurn: string | null; nextTurn: string | null }): string {
  const coming = mine.nextTurn
    ? `${mine.lastTurn ? 'next' : 'first'} turn starts ${formatDay(mine.nextTurn, true)}`
    : null;
  if (!mine.lastTurn) return coming ?? 'no turn yet';
  const last = `last turn ${formatDay(mine.lastTurn, true)}`;
  return coming ? `${last} · ${coming}` : last;
}
