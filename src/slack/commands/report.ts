// `/engagement report [csv] [FROM TO]`: the fairness and exposure report, privately to the asker;
// `csv` sends it to their DM as a spreadsheet and a bar chart instead.
import { exposureReportFor, type ExposureReportView } from '../../flows/exposure-report.js';
import type { Actor } from '../../flows/context.js';
import { balanceLine, reportMessage } from '../blocks/report.js';
import { formatDay, type Message } from '../blocks/kit.js';
import type { SlackDeps, WebClient } from '../deps.js';
import { reportCsv } from '../files/report-csv.js';
import { renderTurnsChart } from '../files/report-chart.js';
import { sendFilesToDm } from '../files/upload.js';

export interface ReportRequest {
  readonly csv: boolean;
  readonly from: string | null;
  readonly to: string | null;
}

export async function runReport(
  deps: SlackDeps,
  call: { actor: Actor; client: WebClient; reply: (message: string | Message) => Promise<unknown> },
  request: ReportRequest,
): Promise<unknown> {
  const report = await exposureReportFor(
    deps.flow,
    call.actor,
    request.from && request.to ? { from: request.from, to: request.to } : {},
  );
  if (!report.ok) return call.reply(report.message);
  if (!request.csv) return call.reply(reportMessage(report.value));
  await sendReportFiles(call.client, call.actor.userId, report.value);
  return call.reply(
    'Sent to your DM with Steward: the report as a CSV file, and a chart of turns per member.',
  );
}

/** The CSV and the chart, in one DM message whose text is the balance. */
export async function sendReportFiles(
  client: WebClient,
  userId: string,
  report: ExposureReportView,
): Promise<void> {
  const period = `${formatDay(report.from, true)} – ${formatDay(report.to, true)}`;
  const name = `exposure-${report.from}-${report.to}`;
  const chart = await renderTurnsChart(
    report.members.map((m) => ({ name: m.name, turns: m.turns, fairShare: m.fairShare })),
    `Turns started, ${period}`,
  );
  await sendFilesToDm(client, userId, `Fairness and exposure, ${period}. ${balanceLine(report)}`, [
    {
      filename: `${name}.csv`,
      title: `Fairness and exposure, ${period} (CSV)`,
      bytes: Buffer.from(reportCsv(report)),
    },
    {
      filename: `${name}.png`,
      title: `Turns per member against their fair share, ${period}`,
      bytes: chart,
      altText:
        `Bar chart: turns started by each member, beside the share their available days would give them. ${report.members
          .map((m) => `${m.name} ${m.turns} (fair ${m.fairShare.toFixed(1)})`)
          .join(', ')}`.slice(0, 1000),
    },
  ]);
}
