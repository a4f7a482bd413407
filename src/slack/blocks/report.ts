// The fairness and exposure report as a message: the team's balance first, then who is flagged,
// then one line per member, a page at a time ("Show more"), never cut.
import type { ExposureReportView, MemberExposureView } from '../../flows/exposure-report.js';
import { ACTIONS } from '../ids.js';
import { button, context, formatDay, sections, type KnownBlock, type Message, user } from './kit.js';

/** Members per page: 100 members stay well inside Slack's 50 blocks and 3,000 characters a section. */
export const REPORT_PAGE_SIZE = 15;

/** What a "Show more" button carries: enough to build the next page again from the database. */
export interface ReportPage {
  readonly from: string;
  readonly to: string;
  readonly offset: number;
}

export function encodeReportPage(page: ReportPage): string {
  return `${page.from}|${page.to}|${page.offset}`;
}

export function decodeReportPage(value: string): ReportPage | null {
  const match = /^(\d{4}-\d{2}-\d{2})\|(\d{4}-\d{2}-\d{2})\|(\d{1,5})$/.exec(value);
  return match ? { from: match[1]!, to: match[2]!, offset: Number(match[3]) } : null;
}

/** One sentence on the balance: the number, what it means, and the raw spread. */
export function balanceLine(report: Pick<ExposureReportView, 'balance' | 'uneven' | 'spread'>): string {
  if (report.balance === null) return 'Balance: not enough members with available days to compare.';
  const verdict = report.uneven ? '*uneven* (below 0.8)' : report.balance >= 0.95 ? 'even' : 'fairly even';
  const spread = report.spread
    ? `; turns per member from ${report.spread.fewest} to ${report.spread.most}`
    : '';
  return `Balance *${report.balance.toFixed(2)}*: ${verdict} (1.00 = turns in proportion to each person's available days)${spread}.`;
}

/** A page of the report, from `offset`; the first page also carries the summary. */
export function reportMessage(report: ExposureReportView, offset = 0): Message {
  const period = `${formatDay(report.from, true)} – ${formatDay(report.to, true)}`;
  const page = report.members.slice(offset, offset + REPORT_PAGE_SIZE);
  const blocks: KnownBlock[] = [];
  if (offset === 0) {
    blocks.push(
      ...sections([
        `*Fairness and exposure, ${period}*`,
        `${report.totalTurns} turn${report.totalTurns === 1 ? '' : 's'} started. ${balanceLine(report)}`,
      ]),
    );
    if (report.flagged.length > 0) {
      blocks.push(
        ...sections([
          '*No turn in six months while others had one:*',
          ...report.flagged.map((f) => `• ${user(f.userId)}: ${f.flag}`),
        ]),
      );
    }
  } else {
    blocks.push(context(`Fairness and exposure, ${period}, continued`));
  }
  blocks.push(...sections(page.map((m) => memberLine(m, report.forLead))));
  const next = offset + page.length;
  const shown = `${Math.min(next, report.members.length)} of ${report.members.length} members`;
  if (next < report.members.length) {
    blocks.push(context(`${shown}. Fewest turns per available day first.`), {
      type: 'actions',
      elements: [
        button(
          ACTIONS.reportMore,
          `Show more (${Math.min(REPORT_PAGE_SIZE, report.members.length - next)})`,
          encodeReportPage({ from: report.from, to: report.to, offset: next }),
        ),
      ],
    });
  } else {
    blocks.push(
      context(
        `${shown}, fewest turns per available day first. \`/engagement report csv\` sends it as a spreadsheet and a chart.`,
      ),
    );
  }
  return { text: `Fairness and exposure, ${period}: ${balanceLine(report)}`, blocks };
}

function memberLine(m: MemberExposureView, forLead: boolean): string {
  const per100 =
    m.turnsPer100Days === null
      ? 'no available day'
      : `${m.turnsPer100Days.toFixed(1)} per 100 available days`;
  const facts = [
    `${m.turns} turn${m.turns === 1 ? '' : 's'} (${per100}; fair share ${m.fairShare.toFixed(1)})`,
    `${m.daysOwned} of ${m.daysAvailable} available days owned`,
    // A flagged member with no turn says so once, in the flag.
    ...(m.lastTurn ? [`last turn ${formatDay(m.lastTurn, true)}`] : m.flag ? [] : ['no turn yet']),
    ...(m.buddyTurns > 0 ? [`buddy ${m.buddyTurns}×`] : []),
    ...(m.standInDays > 0 ? [`stand-in ${m.standInDays} day${m.standInDays === 1 ? '' : 's'}`] : []),
    ...(m.deliveryLeadEngagements > 0 ? [`delivery lead of ${m.deliveryLeadEngagements}`] : []),
    ...(forLead && m.onTimeShare !== null
      ? [`${Math.round(m.onTimeShare * 100)}% of milestones on time`]
      : []),
  ];
  const wishes = [
    ...(m.interest === 'more'
      ? ['asked for more turns']
      : m.interest === 'fewer'
        ? ['asked for fewer turns']
        : []),
    ...(m.pausedUntil ? [`paused until ${formatDay(m.pausedUntil, true)}`] : []),
  ];
  const flag = m.flag ? ` ⚠️ ${m.flag}` : '';
  return `• ${user(m.userId)}${wishes.length > 0 ? ` _(${wishes.join('; ')})_` : ''}: ${facts.join(' · ')}${flag}`;
}
