// "Did you mean …?" for a mistyped word of a command: the known words within two edits of what was
// typed, closest first. Pure.

/** Typos this far from a word (insertions, deletions, substitutions, swapped neighbours) are caught. */
export const MAX_EDITS = 2;

/**
 * Edits between two words, a swap of neighbours counting as one (`clsoe` is one edit from `close`,
 * as a person sees it, where plain Levenshtein counts two).
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known words closest to `typed`, if any is within two edits: one when it is the clear match,
 * all tied ones otherwise (`lad`: `lead` and `load`). A word shorter than the edits it would take
 * to reach it is not a typo of it (`xy` is no `new`).
 */
export function closestWords(typed: string, known: readonly string[]): string[] {
  const word = typed.toLowerCase();
  let best = Infinity;
  let closest: string[] = [];
  for (const candidate of known) {
    const distance = editDistance(word, candidate);
    if (distance > MAX_EDITS || distance >= Math.max(word.length, candidate.length)) continue;
    if (distance < best) {
      best = distance;
      closest = [candidate];
    } else if (distance === best) closest.push(candidate);
  }
  return closest;
}

/** "did you mean `close`?", "did you mean `lead` or `load`?", or null. */
export function didYouMean(typed: string, known: readonly string[]): string | null {
  const closest = closestWords(typed, known);
  if (closest.length === 0) return null;
  const words = closest.map((w) => `\`${w}\``);
  const listed = words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`;
  return `did you mean ${listed}?`;
}
