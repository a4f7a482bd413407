// The report as a CSV file for a spreadsheet: one row per member, the same figures as the message,
// numbers unformatted so they sort and sum.
import type { ExposureReportView } from '../../flows/exposure-report.js';

const COLUMNS = [
  'member',
  'interest',
  'paused until',
  'turns started',
  'business days owned',
  'business days available',
  'turns per 100 available days',
  'fair share of turns',
  'last turn',
  'buddy turns',
  'stand-in days',
  'delivery-lead engagements',
] as const;

export function reportCsv(report: ExposureReportView): string {
  const header = [...COLUMNS, ...(report.forLead ? ['on-time share'] : []), 'flag'];
  const rows = report.members.map((m) => [
    m.name,
    m.interest,
    m.pausedUntil ?? '',
    m.turns,
    m.daysOwned,
    m.daysAvailable,
    m.turnsPer100Days === null ? '' : m.turnsPer100Days.toFixed(2),
    m.fairShare.toFixed(2),
    m.lastTurn ?? '',
    m.buddyTurns,
    m.standInDays,
    m.deliveryLeadEngagements,
    ...(report.forLead ? [m.onTimeShare === null ? '' : m.onTimeShare.toFixed(2)] : []),
    m.flag ?? '',
  ]);
  // CRLF, as RFC 4180 and spreadsheets expect.
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/**
 * A field quoted when it must be; a leading =, +, - or @ is defused so that a spreadsheet shows a
 * member's name rather than running it as a formula.
 */
function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
