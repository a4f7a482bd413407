// The page shows text as Slack's client does: mrkdwn renders mentions as names, plain_text shows
// them raw (Slack cannot render a mention in a modal title, label, hint or field error).
import { describe, expect, it } from 'vitest';

interface Names {
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
}
// The page's modules are plain browser JavaScript, without type declarations.
const { mrkdwnToHtml, textToHtml } = (await import('../../../src/sandbox/page/mrkdwn.js' as string)) as {
  mrkdwnToHtml(text: string, names: Names): string;
  textToHtml(text: { type: string; text: string }, names: Names): string;
};

const names: Names = {
  userName: (id) => (id === 'U0DEV' ? 'Dev Patel' : undefined),
  channelName: (id) => (id === 'C0ACME' ? 'acme-rollout' : undefined),
};

describe('the page’s text rendering', () => {
  it('shows mentions in mrkdwn as names', () => {
    const html = mrkdwnToHtml('<@U0DEV> owns <#C0ACME>', names);
    expect(html).toContain('@Dev Patel');
    expect(html).toContain('#acme-rollout');
  });

  it('shows a mention in plain_text raw, as Slack does', () => {
    const html = textToHtml({ type: 'plain_text', text: '<@U0DEV> is the delivery lead' }, names);
    expect(html).toBe('&lt;@U0DEV&gt; is the delivery lead');
    expect(html).not.toContain('Dev Patel');
  });
});
