// Block Kit → DOM, for messages, modals and the App Home: header, section (text, fields,
// accessory), context, divider, actions, image, markdown, rich_text; input blocks are drawn by
// the caller (see modal.js). Buttons call back; other interactive elements are shown, inert.
import { h } from './dom.js';
import { mrkdwnToHtml, plainToHtml, textToHtml } from './mrkdwn.js';

/**
 * @typedef {object} BlockContext
 * @property {{ userName(id: string): string | undefined, channelName(id: string): string | undefined }} names
 * @property {(element: object, block: object) => Promise<void>} onButton
 * @property {(block: object) => Node} [renderInput]
 */

/** @param {object[]} blocks @param {BlockContext} ctx */
export function renderBlocks(blocks, ctx) {
  return h(
    'div',
    { class: 'blocks' },
    (blocks ?? []).map((block) => renderBlock(block, ctx)),
  );
}

function renderBlock(block, ctx) {
  const text = (t) => textToHtml(t, ctx.names);
  switch (block.type) {
    case 'header':
      return h('div', { class: 'bk-header', role: 'heading', 'aria-level': '3', html: text(block.text) });
    case 'section':
      return h(
        'div',
        { class: `bk-section${block.accessory ? ' with-accessory' : ''}` },
        h(
          'div',
          { class: 'bk-section-main' },
          block.text && h('div', { class: 'bk-text', html: text(block.text) }),
          block.fields &&
            h(
              'div',
              { class: 'bk-fields' },
              block.fields.map((f) => h('div', { class: 'bk-field', html: text(f) })),
            ),
        ),
        block.accessory && h('div', { class: 'bk-accessory' }, renderElement(block.accessory, block, ctx)),
      );
    case 'context':
      return h(
        'div',
        { class: 'bk-context' },
        (block.elements ?? []).map((el) =>
          el.type === 'image'
            ? h('img', { src: el.image_url, alt: el.alt_text ?? '', class: 'bk-context-image' })
            : h('span', { html: text(el) }),
        ),
      );
    case 'divider':
      return h('hr', { class: 'bk-divider' });
    case 'actions':
      return h(
        'div',
        { class: 'bk-actions' },
        (block.elements ?? []).map((el) => renderElement(el, block, ctx)),
      );
    case 'image':
      return h(
        'figure',
        { class: 'bk-image' },
        block.title && h('figcaption', { html: text(block.title) }),
        h('img', { src: block.image_url, alt: block.alt_text ?? '' }),
      );
    case 'markdown':
      return h('div', { class: 'bk-text', html: mrkdwnToHtml(block.text ?? '', ctx.names) });
    case 'rich_text':
      return h('div', { class: 'bk-text', html: plainToHtml(richTextPlain(block)) });
    case 'input':
      return ctx.renderInput ? ctx.renderInput(block) : h('div', { class: 'bk-unknown' }, '[input]');
    default:
      return h('div', { class: 'bk-unknown' }, `[${block.type} block]`);
  }
}

function renderElement(element, block, ctx) {
  switch (element.type) {
    case 'button':
      return renderButton(element, block, ctx);
    case 'image':
      return h('img', { class: 'bk-accessory-image', src: element.image_url, alt: element.alt_text ?? '' });
    case 'static_select':
    case 'overflow':
      return h(
        'select',
        { class: 'bk-inert', disabled: true, title: 'The sandbox clicks buttons only' },
        (element.options ?? []).map((o) => h('option', {}, o.text?.text ?? o.value)),
      );
    default:
      return h('span', { class: 'bk-inert', title: 'The sandbox clicks buttons only' }, `[${element.type}]`);
  }
}

function renderButton(element, block, ctx) {
  const label = element.text?.text ?? 'Button';
  if (element.url) {
    return h(
      'a',
      { class: 'bk-button', href: element.url, target: '_blank', rel: 'noreferrer noopener' },
      label,
    );
  }
  const button = h(
    'button',
    {
      type: 'button',
      class: `bk-button${element.style ? ` ${element.style}` : ''}`,
      dataset: { actionId: element.action_id ?? '', value: element.value ?? '' },
      onclick: async () => {
        if (element.confirm && !(await confirmDialog(element.confirm, ctx.names))) return;
        button.disabled = true;
        button.classList.add('pending');
        try {
          await ctx.onButton(element, block);
        } finally {
          button.disabled = false;
          button.classList.remove('pending');
        }
      },
    },
    label,
  );
  return button;
}

/** Slack's confirmation dialog for a button with `confirm`; resolves to the person's choice. */
function confirmDialog(confirm, names) {
  return new Promise((resolve) => {
    const done = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const dialog = h(
      'dialog',
      { class: 'confirm' },
      h('h2', {}, confirm.title?.text ?? 'Are you sure?'),
      h('div', { html: textToHtml(confirm.text, names) }),
      h(
        'div',
        { class: 'confirm-buttons' },
        h(
          'button',
          { type: 'button', class: 'bk-button', onclick: () => done(false) },
          confirm.deny?.text ?? 'Cancel',
        ),
        h(
          'button',
          { type: 'button', class: `bk-button ${confirm.style ?? 'primary'}`, onclick: () => done(true) },
          confirm.confirm?.text ?? 'Yes',
        ),
      ),
    );
    dialog.addEventListener('cancel', () => done(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

function richTextPlain(node) {
  if (typeof node?.text === 'string') return node.text;
  if (node?.type === 'user') return `@${node.user_id}`;
  if (node?.type === 'channel') return `#${node.channel_id}`;
  if (node?.type === 'link') return node.text ?? node.url;
  const children = (node?.elements ?? []).map(richTextPlain).join('');
  return node?.type === 'rich_text_section' || node?.type === 'rich_text_preformatted'
    ? `${children}\n`
    : children;
}
