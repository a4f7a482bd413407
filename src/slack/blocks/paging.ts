// Long lists in a message: as many whole lines as fit Slack's limits on one page, the rest a
// "Show more" away. Slack refuses a message above 50 blocks or about 12,000 characters of block text
// (and a section above 3,000), so a page stops well inside both and a line is never cut in two.
import { button, context, sections, type KnownBlock } from './kit.js';

/** Characters of lines on one page: leaves room for the heading, the footer and the button. */
export const PAGE_TEXT = 9000;

/** The lines from `offset` that fit one page (at least one), and where the next page starts. */
export function pageOf(lines: readonly string[], offset: number): { lines: string[]; next: number | null } {
  const start = offset > 0 && offset < lines.length ? offset : 0;
  const page: string[] = [];
  let size = 0;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (page.length > 0 && size + line.length + 1 > PAGE_TEXT) break;
    page.push(line);
    size += line.length + 1;
  }
  const next = start + page.length;
  return { lines: page, next: next < lines.length ? next : null };
}

/**
 * A page of `lines` under `heading`, with "Show more" (its value: where the next page starts) when
 * more follow, and how far along this page is.
 */
export function pagedBlocks(
  heading: string,
  lines: readonly string[],
  offset: number,
  more: { actionId: string; what: string },
): KnownBlock[] {
  const { lines: page, next } = pageOf(lines, offset);
  const start = offset > 0 && offset < lines.length ? offset : 0;
  const blocks = sections([start === 0 ? heading : `${heading}, continued`, ...page]);
  if (next !== null) {
    blocks.push(context(`${start + 1}–${next} of ${lines.length} ${more.what}.`), {
      type: 'actions',
      elements: [button(more.actionId, `Show more (${lines.length - next})`, String(next))],
    });
  } else if (start > 0) {
    blocks.push(context(`${start + 1}–${lines.length} of ${lines.length} ${more.what}: that is all.`));
  }
  return blocks;
}
