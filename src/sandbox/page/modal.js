// A modal as Slack's client draws it: title, blocks, inputs with labels, hints and "(optional)",
// Cancel and Submit. Inputs start from what the view's state holds (kept across views.update),
// else from their initial_* values. Submitting sends every input's entry; field errors from the
// app (response_action: errors) or from Slack's own required check appear under the field.
import { renderBlocks } from './blocks.js';
import { h } from './dom.js';
import { plainToHtml } from './mrkdwn.js';

/**
 * @param {object} view the EmulatedView
 * @param {{ names: object, people: object[], channels: object[], onButton: Function,
 *           onSubmit(values: object): Promise<void>, onClose(): Promise<void> }} ctx
 */
export function renderModal(view, ctx) {
  const state = view.state?.values ?? {};
  const inputs = [];
  const renderInput = (block) => {
    const id = `field-${block.block_id}`;
    const element = block.element ?? {};
    const current = state[block.block_id]?.[element.action_id];
    const control = renderControl(element, id, current, ctx);
    inputs.push({ block, element, control });
    return h(
      'div',
      { class: 'field', dataset: { blockId: block.block_id } },
      h(
        'label',
        { for: id, class: 'field-label' },
        block.label?.text ?? block.block_id,
        block.optional && h('span', { class: 'optional' }, ' (optional)'),
      ),
      control,
      block.hint && h('p', { class: 'hint', html: plainToHtml(block.hint.text ?? '') }),
      h('p', { class: 'field-error', role: 'alert', id: `${id}-error`, hidden: true }),
    );
  };

  const problem = h('p', { class: 'modal-problem', role: 'alert', hidden: true });
  const submitButton =
    view.submit && h('button', { type: 'submit', class: 'bk-button primary' }, view.submit.text ?? 'Submit');
  const form = h(
    'form',
    {
      class: 'modal',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': 'modal-title',
      dataset: { viewId: view.id, callbackId: view.callback_id },
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        if (!submitButton || submitButton.disabled) return;
        submitButton.disabled = true;
        try {
          await ctx.onSubmit(collectValues(inputs));
        } finally {
          submitButton.disabled = false;
        }
      },
    },
    h(
      'header',
      { class: 'modal-header' },
      h('h2', { id: 'modal-title' }, view.title?.text ?? ''),
      h(
        'button',
        { type: 'button', class: 'modal-x', 'aria-label': 'Close', onclick: () => ctx.onClose() },
        '×',
      ),
    ),
    h(
      'div',
      { class: 'modal-body' },
      problem,
      renderBlocks(view.blocks, { names: ctx.names, onButton: ctx.onButton, renderInput }),
    ),
    h(
      'footer',
      { class: 'modal-footer' },
      h(
        'button',
        { type: 'button', class: 'bk-button', onclick: () => ctx.onClose() },
        view.close?.text ?? 'Cancel',
      ),
      submitButton,
    ),
  );
  return form;
}

/** Shows field errors (block_id → message) and clears the others; `problem` is a banner. */
export function showModalErrors(form, errors, problem) {
  for (const field of form.querySelectorAll('.field')) {
    const message = errors[field.dataset.blockId];
    const slot = field.querySelector('.field-error');
    slot.textContent = message ?? '';
    slot.hidden = !message;
    field.classList.toggle('has-error', Boolean(message));
    field.querySelector('input, textarea, select')?.setAttribute('aria-invalid', message ? 'true' : 'false');
  }
  const banner = form.querySelector('.modal-problem');
  banner.textContent = problem ?? '';
  banner.hidden = !problem;
  form.querySelector('.field.has-error input, .field.has-error textarea, .field.has-error select')?.focus();
}

function renderControl(element, id, current, ctx) {
  const common = { id, name: id, 'aria-describedby': `${id}-error` };
  const placeholder = element.placeholder?.text;
  switch (element.type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const value = current ? current.value : (element.initial_value ?? '');
      if (element.multiline) {
        // Slack grows a multiline input with its text: a drafted message shows whole, up to a point.
        const lines = (value ?? '').split('\n').length + 1;
        return h('textarea', { ...common, rows: Math.min(Math.max(lines, 4), 16), placeholder }, value ?? '');
      }
      const type = { email_text_input: 'email', url_text_input: 'url', number_input: 'number' }[element.type];
      return h('input', { ...common, type: type ?? 'text', placeholder, value: value ?? '' });
    }
    case 'datepicker':
      return h('input', {
        ...common,
        type: 'date',
        value: (current ? current.selected_date : element.initial_date) ?? '',
      });
    case 'timepicker':
      return h('input', {
        ...common,
        type: 'time',
        value: (current ? current.selected_time : element.initial_time) ?? '',
      });
    case 'users_select':
    case 'multi_users_select': {
      const multi = element.type.startsWith('multi_');
      const chosen = current
        ? multi
          ? current.selected_users
          : [current.selected_user]
        : multi
          ? (element.initial_users ?? [])
          : [element.initial_user];
      const options = ctx.people.map((p) => ({ value: p.id, label: p.realName ?? p.name }));
      return select(common, options, chosen, placeholder ?? 'Pick a person', multi);
    }
    case 'conversations_select':
    case 'channels_select':
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const multi = element.type.startsWith('multi_');
      const key = element.type.includes('conversations') ? 'conversation' : 'channel';
      const chosen = current
        ? multi
          ? current[`selected_${key}s`]
          : [current[`selected_${key}`]]
        : multi
          ? (element[`initial_${key}s`] ?? [])
          : [element[`initial_${key}`]];
      const include = element.filter?.include;
      const channels = ctx.channels.filter(
        (c) => !include || include.includes(c.isPrivate ? 'private' : 'public'),
      );
      const options = channels.map((c) => ({ value: c.id, label: `#${c.name}` }));
      return select(common, options, chosen, placeholder ?? 'Pick a channel', multi);
    }
    case 'static_select':
    case 'external_select':
    case 'multi_static_select': {
      const multi = element.type === 'multi_static_select';
      const chosen = current
        ? multi
          ? current.selected_options.map((o) => o.value)
          : [current.selected_option?.value]
        : multi
          ? (element.initial_options ?? []).map((o) => o.value)
          : [element.initial_option?.value];
      const all = element.options ?? (element.option_groups ?? []).flatMap((g) => g.options ?? []);
      const options = all.map((o) => ({ value: o.value, label: o.text?.text ?? o.value }));
      return select(common, options, chosen, placeholder ?? 'Select an item', multi);
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const radio = element.type === 'radio_buttons';
      const chosen = current
        ? radio
          ? [current.selected_option?.value]
          : current.selected_options.map((o) => o.value)
        : radio
          ? [element.initial_option?.value]
          : (element.initial_options ?? []).map((o) => o.value);
      return h(
        'fieldset',
        { id, class: 'choices', 'aria-describedby': `${id}-error` },
        (element.options ?? []).map((o) =>
          h(
            'label',
            {},
            h('input', {
              type: radio ? 'radio' : 'checkbox',
              name: id,
              value: o.value,
              checked: chosen.includes(o.value),
            }),
            ` ${o.text?.text ?? o.value}`,
          ),
        ),
      );
    }
    default:
      return h('p', { id, class: 'bk-inert' }, `[${element.type} — not drawn by the sandbox]`);
  }
}

function select(common, options, chosen, placeholder, multi) {
  return h(
    'select',
    { ...common, multiple: multi },
    !multi && h('option', { value: '' }, placeholder),
    options.map((o) => h('option', { value: o.value, selected: chosen.includes(o.value) }, o.label)),
  );
}

/** block_id → the emulator's shorthand entry: a string, a list, or null for "left empty". */
function collectValues(inputs) {
  const values = {};
  for (const { block, element, control } of inputs) {
    let entry;
    if (control.tagName === 'SELECT' && control.multiple) {
      entry = [...control.selectedOptions].map((o) => o.value);
    } else if (control.tagName === 'FIELDSET') {
      const checked = [...control.querySelectorAll('input:checked')].map((i) => i.value);
      entry = element.type === 'checkboxes' ? checked : (checked[0] ?? null);
    } else if ('value' in control) {
      entry = control.value === '' ? null : control.value;
    } else continue;
    values[block.block_id] = entry;
  }
  return values;
}
