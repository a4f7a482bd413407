/**
 * Block Kit as Slack's servers see it: a subset of their validation (the limits a bot trips
 * over in practice), the ids Slack fills in, and the element lookups the client side needs.
 */
import type { Block, EmulatedInputValue, InputEntry, SelectOption, ViewStateValues } from './types.js';

type Json = Record<string, unknown>;

const BLOCK_TYPES = new Set([
  'section',
  'divider',
  'image',
  'actions',
  'context',
  'context_actions',
  'input',
  'header',
  'file',
  'rich_text',
  'video',
  'markdown',
  'table',
]);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems in a block list, each as Slack words them: `<problem> [json-pointer:/blocks/0/text]`. */
export function validateBlocks(blocks: unknown, pointer: string, maxBlocks: number): string[] {
  const problems: string[] = [];
  const say = (where: string, what: string) => problems.push(`${what} [json-pointer:${where}]`);
  if (!Array.isArray(blocks)) {
    say(pointer, 'must be an array');
    return problems;
  }
  if (blocks.length > maxBlocks) say(pointer, `must contain no more than ${maxBlocks} items`);
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(block) || typeof block.type !== 'string') {
      say(at, 'must be an object with a type');
      return;
    }
    if (!BLOCK_TYPES.has(block.type)) say(`${at}/type`, `unsupported type \`${block.type}\``);
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length > 255) {
        say(`${at}/block_id`, 'must be a string of at most 255 characters');
      } else if (blockIds.has(block.block_id)) {
        say(`${at}/block_id`, `duplicate block_id \`${block.block_id}\``);
      } else {
        blockIds.add(block.block_id);
      }
    }
    validateBlock(block, at, say);
  });
  return problems;
}

type Say = (where: string, what: string) => void;

function validateBlock(block: Json, at: string, say: Say): void {
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) {
        say(at, 'must provide either `text` or `fields`');
      }
      if (block.text !== undefined) validateText(block.text, `${at}/text`, say, { max: 3000 });
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length > 10) {
          say(`${at}/fields`, 'must be an array of no more than 10 items');
        } else {
          block.fields.forEach((f: unknown, j) => validateText(f, `${at}/fields/${j}`, say, { max: 2000 }));
        }
      }
      if (block.accessory !== undefined) validateElement(block.accessory, `${at}/accessory`, say);
      break;
    case 'header':
      validateText(block.text, `${at}/text`, say, { max: 150, plainOnly: true });
      break;
    case 'actions':
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) {
        say(`${at}/elements`, 'must be an array of 1 to 25 items');
        break;
      }
      {
        const actionIds = new Set<string>();
        block.elements.forEach((el: unknown, j) => {
          validateElement(el, `${at}/elements/${j}`, say);
          if (isObject(el) && typeof el.action_id === 'string') {
            if (actionIds.has(el.action_id)) {
              say(`${at}/elements/${j}/action_id`, `duplicate action_id \`${el.action_id}\``);
            }
            actionIds.add(el.action_id);
          }
        });
      }
      break;
    case 'context':
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) {
        say(`${at}/elements`, 'must be an array of 1 to 10 items');
        break;
      }
      block.elements.forEach((el: unknown, j) => {
        if (isObject(el) && el.type === 'image') return;
        validateText(el, `${at}/elements/${j}`, say, { max: 3000 });
      });
      break;
    case 'input':
      validateText(block.label, `${at}/label`, say, { max: 2000, plainOnly: true });
      if (block.hint !== undefined)
        validateText(block.hint, `${at}/hint`, say, { max: 2000, plainOnly: true });
      if (!isObject(block.element)) say(`${at}/element`, 'must provide an element');
      else validateElement(block.element, `${at}/element`, say);
      break;
    case 'image':
      if (typeof block.image_url !== 'string' && !isObject(block.slack_file)) {
        say(at, 'must provide `image_url` or `slack_file`');
      }
      if (typeof block.alt_text !== 'string' || block.alt_text.length > 2000) {
        say(`${at}/alt_text`, 'must be a string of at most 2000 characters');
      }
      break;
    default:
      break;
  }
}

function validateText(
  text: unknown,
  at: string,
  say: Say,
  { max, plainOnly = false }: { max: number; plainOnly?: boolean },
): void {
  if (!isObject(text)) {
    say(at, 'must be a text object');
    return;
  }
  if (text.type !== 'plain_text' && (plainOnly || text.type !== 'mrkdwn')) {
    say(`${at}/type`, plainOnly ? 'must be `plain_text`' : 'must be `plain_text` or `mrkdwn`');
  }
  if (typeof text.text !== 'string' || text.text.length === 0)
    say(`${at}/text`, 'must be more than 0 characters');
  else if (text.text.length > max) say(`${at}/text`, `must be less than ${max + 1} characters`);
}

function validateElement(element: unknown, at: string, say: Say): void {
  if (!isObject(element) || typeof element.type !== 'string') {
    say(at, 'must be an element object with a type');
    return;
  }
  if (
    element.action_id !== undefined &&
    (typeof element.action_id !== 'string' || element.action_id.length > 255)
  ) {
    say(`${at}/action_id`, 'must be a string of at most 255 characters');
  }
  if (element.placeholder !== undefined) {
    validateText(element.placeholder, `${at}/placeholder`, say, { max: 150, plainOnly: true });
  }
  switch (element.type) {
    case 'button':
      validateText(element.text, `${at}/text`, say, { max: 75, plainOnly: true });
      if (element.value !== undefined && (typeof element.value !== 'string' || element.value.length > 2000)) {
        say(`${at}/value`, 'must be a string of at most 2000 characters');
      }
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
        say(`${at}/style`, 'must be `primary` or `danger`');
      }
      break;
    case 'static_select':
    case 'multi_static_select':
    case 'radio_buttons':
    case 'checkboxes':
    case 'overflow': {
      const options = element.options ?? optionGroupOptions(element);
      const max = element.type === 'overflow' ? 5 : element.type === 'radio_buttons' ? 10 : 100;
      if (!Array.isArray(options) || options.length === 0 || options.length > max) {
        say(`${at}/options`, `must be an array of 1 to ${max} items`);
        break;
      }
      options.forEach((o: unknown, j) => {
        if (!isObject(o)) {
          say(`${at}/options/${j}`, 'must be an option object');
          return;
        }
        validateText(o.text, `${at}/options/${j}/text`, say, { max: 75 });
        if (typeof o.value !== 'string' || o.value.length > 150) {
          say(`${at}/options/${j}/value`, 'must be a string of at most 150 characters');
        }
      });
      break;
    }
    case 'datepicker':
      if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(element.initial_date))) {
        say(`${at}/initial_date`, 'must be a date in the format YYYY-MM-DD');
      }
      break;
    case 'plain_text_input':
      if (typeof element.initial_value === 'string' && typeof element.max_length === 'number') {
        if (element.initial_value.length > element.max_length) {
          say(`${at}/initial_value`, 'must not be longer than max_length');
        }
      }
      break;
    default:
      break;
  }
}

function optionGroupOptions(element: Json): unknown[] | undefined {
  if (!Array.isArray(element.option_groups)) return undefined;
  return element.option_groups.flatMap((g: unknown) =>
    isObject(g) && Array.isArray(g.options) ? g.options : [],
  );
}

/**
 * A copy of the blocks with the `block_id`s and `action_id`s Slack would generate for those the
 * app left out, so that payloads always name both.
 */
export function withGeneratedIds(blocks: Block[], nextId: () => string): Block[] {
  return blocks.map((raw) => {
    const block: Block = structuredClone(raw);
    block.block_id ??= nextId();
    const fill = (el: unknown) => {
      if (isObject(el) && typeof el.type === 'string' && el.type !== 'image' && !isTextType(el.type)) {
        el.action_id ??= nextId();
      }
    };
    if (Array.isArray(block.elements) && block.type !== 'context' && block.type !== 'rich_text') {
      block.elements.forEach(fill);
    }
    fill(block.accessory);
    fill(block.element);
    return block;
  });
}

const isTextType = (type: string) => type === 'plain_text' || type === 'mrkdwn';

/** An interactive element of a block list, with the block it sits in. */
export interface FoundElement {
  block: Block;
  element: Json;
}

/** Every interactive element (actions blocks, section accessories, inputs), in order. */
export function interactiveElements(blocks: Block[] | undefined): FoundElement[] {
  const found: FoundElement[] = [];
  for (const block of blocks ?? []) {
    if (block.type === 'actions' && Array.isArray(block.elements)) {
      for (const element of block.elements) if (isObject(element)) found.push({ block, element });
    }
    if (isObject(block.accessory)) found.push({ block, element: block.accessory });
    if (block.type === 'input' && isObject(block.element)) found.push({ block, element: block.element });
  }
  return found;
}

/** The input blocks of a view, each with its element. */
export function inputBlocks(blocks: Block[]): { block: Block & { block_id: string }; element: Json }[] {
  return blocks.flatMap((block) =>
    block.type === 'input' && isObject(block.element) && typeof block.block_id === 'string'
      ? [{ block: block as Block & { block_id: string }, element: block.element }]
      : [],
  );
}

/** What an element holds before anyone touches it: its `initial_*` value, or empty. */
export function initialValue(element: Json): EmulatedInputValue {
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const option = (v: unknown) => (isObject(v) ? (v as unknown as SelectOption) : null);
  const options = (v: unknown) => (Array.isArray(v) ? (v as SelectOption[]) : []);
  switch (element.type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type: element.type, value: str(element.initial_value) };
    case 'number_input':
      return {
        type: 'number_input',
        value: element.initial_value === undefined ? null : String(element.initial_value),
      };
    case 'datepicker':
      return { type: 'datepicker', selected_date: str(element.initial_date) };
    case 'timepicker':
      return { type: 'timepicker', selected_time: str(element.initial_time) };
    case 'users_select':
      return { type: 'users_select', selected_user: str(element.initial_user) };
    case 'multi_users_select':
      return { type: 'multi_users_select', selected_users: list(element.initial_users) };
    case 'conversations_select':
      return { type: 'conversations_select', selected_conversation: str(element.initial_conversation) };
    case 'multi_conversations_select':
      return {
        type: 'multi_conversations_select',
        selected_conversations: list(element.initial_conversations),
      };
    case 'channels_select':
      return { type: 'channels_select', selected_channel: str(element.initial_channel) };
    case 'multi_channels_select':
      return { type: 'multi_channels_select', selected_channels: list(element.initial_channels) };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type: element.type, selected_option: option(element.initial_option) };
    case 'multi_static_select':
    case 'checkboxes':
      return { type: element.type, selected_options: options(element.initial_options) };
    default:
      throw new Error(`the emulator does not know input elements of type ${String(element.type)}`);
  }
}

/**
 * Turns what a person entered into Slack's shape for that element, resolving shorthands
 * (an option's value → the whole option, as defined in the view). Throws on a mismatch: that
 * is a mistake in the test, not something Slack's client would let happen.
 */
export function resolveEntry(element: Json, entry: InputEntry, where: string): EmulatedInputValue {
  const empty = initialValueOrEmpty(element);
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
    if (entry.type !== element.type) {
      throw new Error(`${where}: the element is a ${String(element.type)}, not a ${entry.type}`);
    }
    return entry;
  }
  if (entry === null) return empty;
  const one = (): string => {
    if (typeof entry !== 'string') throw new Error(`${where}: a ${String(element.type)} takes one value`);
    return entry;
  };
  const many = (): string[] => (Array.isArray(entry) ? entry : [entry]);
  const findOption = (value: string): SelectOption => {
    const all = (element.options ?? optionGroupOptions(element) ?? []) as SelectOption[];
    const hit = all.find((o) => o.value === value);
    if (hit) return hit;
    if (element.type === 'external_select') return { text: { type: 'plain_text', text: value }, value };
    throw new Error(`${where}: no option with value ${JSON.stringify(value)}`);
  };
  switch (empty.type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type: empty.type, value: one() };
    case 'datepicker':
      return { type: 'datepicker', selected_date: one() };
    case 'timepicker':
      return { type: 'timepicker', selected_time: one() };
    case 'users_select':
      return { type: 'users_select', selected_user: one() };
    case 'multi_users_select':
      return { type: 'multi_users_select', selected_users: many() };
    case 'conversations_select':
      return { type: 'conversations_select', selected_conversation: one() };
    case 'multi_conversations_select':
      return { type: 'multi_conversations_select', selected_conversations: many() };
    case 'channels_select':
      return { type: 'channels_select', selected_channel: one() };
    case 'multi_channels_select':
      return { type: 'multi_channels_select', selected_channels: many() };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type: empty.type, selected_option: findOption(one()) };
    case 'multi_static_select':
    case 'checkboxes':
      return { type: empty.type, selected_options: many().map(findOption) };
  }
}

function initialValueOrEmpty(element: Json): EmulatedInputValue {
  const initial = initialValue(element);
  // Clearing a field empties it even when the view gave it an initial value.
  const cleared = { ...initial } as Record<string, unknown>;
  for (const key of Object.keys(cleared)) {
    if (key === 'type') continue;
    cleared[key] = Array.isArray(cleared[key]) ? [] : null;
  }
  return cleared as EmulatedInputValue;
}

/** True when nothing was entered: Slack's client refuses to submit a required input like that. */
export function isEmptyValue(value: EmulatedInputValue): boolean {
  return Object.entries(value).every(
    ([key, v]) => key === 'type' || v === null || v === '' || (Array.isArray(v) && v.length === 0),
  );
}

/**
 * The state a view keeps when it is updated: Slack preserves what a person typed into inputs
 * whose block_id and action_id survive the update.
 */
export function carriedState(previous: ViewStateValues, blocks: Block[]): ViewStateValues {
  const kept: ViewStateValues = {};
  for (const { block, element } of inputBlocks(blocks)) {
    const old = previous[block.block_id]?.[String(element.action_id)];
    if (old && old.type === element.type) kept[block.block_id] = { [String(element.action_id)]: old };
  }
  return kept;
}

/** Problems in a view payload (views.open/push/update/publish), pointers rooted at `/view`. */
export function validateView(view: unknown, expectedType: 'modal' | 'home'): string[] {
  const problems: string[] = [];
  const say = (where: string, what: string) => problems.push(`${what} [json-pointer:${where}]`);
  if (!isObject(view)) {
    say('/view', 'must be an object');
    return problems;
  }
  if (view.type !== expectedType) say('/view/type', `must be \`${expectedType}\``);
  if (expectedType === 'modal') {
    validateText(view.title, '/view/title', say, { max: 24, plainOnly: true });
    if (view.submit !== undefined)
      validateText(view.submit, '/view/submit', say, { max: 24, plainOnly: true });
    if (view.close !== undefined) validateText(view.close, '/view/close', say, { max: 24, plainOnly: true });
    const hasInputs =
      Array.isArray(view.blocks) && view.blocks.some((b: unknown) => isObject(b) && b.type === 'input');
    if (hasInputs && view.submit === undefined)
      say('/view/submit', 'must provide `submit` when the view has input blocks');
  }
  problems.push(...validateBlocks(view.blocks ?? [], '/view/blocks', 100));
  const limits: [string, number][] = [
    ['private_metadata', 3000],
    ['callback_id', 255],
    ['external_id', 255],
  ];
  for (const [field, max] of limits) {
    const value = view[field];
    if (value !== undefined && (typeof value !== 'string' || value.length > max)) {
      say(`/view/${field}`, `must be a string of at most ${max} characters`);
    }
  }
  return problems;
}
