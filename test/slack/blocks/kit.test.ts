import { describe, expect, it } from 'vitest';
import { clip, escapeKeepingMentions, escapeText, formatDay } from '../../../src/slack/blocks/kit.js';

describe('Block Kit helpers', () => {
  it('escapes the markup characters of people’s words', () => {
    expect(escapeText('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });

  it('keeps mentions of people and channels live in mixed text, and nothing else', () => {
    expect(escapeKeepingMentions('<@U0ANA> handed it back: <!here> see <#C1|general> & <https://x>')).toBe(
      '<@U0ANA> handed it back: &lt;!here&gt; see <#C1|general> &amp; &lt;https://x&gt;',
    );
  });

  it('formats local dates without shifting them by a time zone', () => {
    expect(formatDay('2026-12-07')).toBe('Mon 7 Dec');
    expect(formatDay('2027-01-04', true)).toBe('Mon 4 Jan 2027');
    expect(formatDay('not a date')).toBe('not a date');
  });

  it('clips with an ellipsis', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
  });
});
