// Slack's mrkdwn → safe HTML: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, links,
// <@U…> mentions as names, <#C…> channels, <!here>, and the emoji Steward uses.
// Everything that came from the app is escaped first; only the markup produced here is HTML.

import { emojify } from './emoji.js';

const escapeHtml = (text) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Apps send &, < and > escaped; decode before escaping again for HTML, so "&amp;" shows as "&".
const decodeSlack = (text) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * @param {string} text mrkdwn as the app sent it
 * @param {{ userName(id: string): string, channelName(id: string): string | undefined }} names
 * @returns {string} HTML
 */
export function mrkdwnToHtml(text, names) {
  const stash = [];
  // Private-use characters never occur in what an app sends, so they can mark where markup goes back.
  const keep = (html) => `\uE000${stash.push(html) - 1}\uE001`;

  let out = String(text);
  // Code first: nothing inside it is markup.
  out = out.replace(/```([\s\S]*?)```/g, (_, code) => keep(`<pre>${escapeHtml(decodeSlack(code))}</pre>`));
  out = out.replace(/`([^`\n]+)`/g, (_, code) => keep(`<code>${escapeHtml(decodeSlack(code))}</code>`));
  out = out.replace(/<([^<>\n]+)>/g, (_, inner) => keep(special(inner, names)));
  out = escapeHtml(decodeSlack(out));
  out = out
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1<b>$2</b>')
    .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<i>$2</i>')
    .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?!\w)/g, '$1<s>$2</s>');
  out = emojify(out);
  out = quotes(out);
  out = out.replace(/\n/g, '<br>');
  return out.replace(/\uE000(\d+)\uE001/g, (_, i) => stash[Number(i)]);
}

/** Plain text, as `plain_text` objects carry it: escaped, emoji shortcodes shown. */
export function plainToHtml(text) {
  return emojify(escapeHtml(String(text))).replace(/\n/g, '<br>');
}

/** A text object (`plain_text` or `mrkdwn`) → HTML. */
export function textToHtml(textObject, names) {
  if (!textObject) return '';
  if (typeof textObject === 'string') return mrkdwnToHtml(textObject, names);
  return textObject.type === 'mrkdwn'
    ? mrkdwnToHtml(textObject.text ?? '', names)
    : plainToHtml(textObject.text ?? '');
}

// Lines starting with "> " (escaped to "&gt; " by now) make a quote.
function quotes(html) {
  const out = [];
  let quote = [];
  const flush = () => {
    if (quote.length > 0) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of html.split('\n')) {
    if (line.startsWith('&gt; ') || line === '&gt;') quote.push(line.slice(5));
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.join('\n');
}

function special(inner, names) {
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = names.userName(id) ?? label ?? id;
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = names.channelName(id) ?? label ?? id;
    return `<a class="channel-link" href="#" data-channel="${escapeHtml(id)}">#${escapeHtml(name)}</a>`;
  }
  if (target.startsWith('!')) {
    const [keyword] = target.slice(1).split('^');
    if (keyword === 'date') return escapeHtml(decodeSlack(label ?? ''));
    if (keyword.startsWith('subteam')) return `<span class="mention">${escapeHtml(label ?? '@group')}</span>`;
    return `<span class="mention">@${escapeHtml(keyword)}</span>`;
  }
  const url = decodeSlack(target);
  const safe = /^(https?:|mailto:)/i.test(url) ? url : '#';
  return `<a href="${escapeHtml(safe)}" target="_blank" rel="noreferrer noopener">${escapeHtml(decodeSlack(label ?? url))}</a>`;
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
