/**
 * Block Kit as Slack's client sees it: the ids Slack fills in, the interactive elements a person
 * can click, and the values they enter in inputs, in the shape Slack sends them back.
 */
import type { Block, EmulatedInputValue, InputEntry, SelectOption, ViewStateValues } from './types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function optionGroupOptions(element: Json): unknown[] | undefined {
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
