// The page shows every emoji Steward sends: the shortcodes in the bot's source are read here, so a
// new one in a message fails this test until the page's table has it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The page's modules are plain browser JavaScript, without type declarations.
const { EMOJI, emojify } = (await import('../../../src/sandbox/page/emoji.js' as string)) as {
  EMOJI: Record<string, string>;
  emojify(text: string): string;
};

/** Every file of the bot (the sandbox itself aside). */
function botSources(dir = 'src'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join('src', 'sandbox') ? [] : botSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

// A shortcode stands alone in a message: after a space, a quote or a line start, and before a
// space, punctuation or the end; `milestone:done:3`-style keys do not count.
const SHORTCODE = /(?<=^|[\s'"`(*_])(:[a-z0-9_+-]*[a-z][a-z0-9_+-]*:)(?=$|[\s'"`),.;!?*_])/gm;

const used = new Map<string, string[]>();
for (const path of botSources()) {
  for (const [, code] of readFileSync(path, 'utf8').matchAll(SHORTCODE))
    used.set(code!, [...(used.get(code!) ?? []), path]);
}

describe('the page’s emoji', () => {
  it('finds the emoji Steward sends', () => {
    expect([...used.keys()]).toEqual(expect.arrayContaining([':warning:', ':white_check_mark:']));
  });

  it.each([...used.entries()])('renders %s (used in %j)', (code) => {
    expect(emojify(code)).not.toBe(code);
    expect(EMOJI[code.slice(1, -1)]).toBeDefined();
  });

  it('leaves an unknown shortcode as text, as Slack does', () => {
    expect(emojify(':not_an_emoji:')).toBe(':not_an_emoji:');
  });
});
