/**
 * Block Kit as Slack's servers check it: the published limits on blocks, elements, text objects
 * and views that a bot trips over in practice, each refusal worded as Slack words it.
 */

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
  if (text.type === 'mrkdwn' && text.emoji !== undefined)
    say(`${at}/emoji`, 'is only allowed on `plain_text`');
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
      if (element.url !== undefined && (typeof element.url !== 'string' || element.url.length > 3000)) {
        say(`${at}/url`, 'must be a string of at most 3000 characters');
      }
      break;
    case 'static_select':
    case 'multi_static_select':
    case 'radio_buttons':
    case 'checkboxes':
    case 'overflow':
      validateOptions(element, at, say);
      break;
    case 'datepicker':
      if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(element.initial_date))) {
        say(`${at}/initial_date`, 'must be a date in the format YYYY-MM-DD');
      }
      break;
    case 'plain_text_input':
      for (const bound of ['min_length', 'max_length'] as const) {
        const value = element[bound];
        if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 3000)) {
          say(`${at}/${bound}`, 'must be a number from 0 to 3000');
        }
      }
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

// An overflow menu holds 2 to 5 options, radio buttons up to 10; selects and checkboxes up to 100,
// or up to 100 groups of up to 100 each.
const OPTION_RANGE: Record<string, [number, number]> = {
  overflow: [2, 5],
  radio_buttons: [1, 10],
};

function validateOptions(element: Json, at: string, say: Say): void {
  const [min, max] = OPTION_RANGE[String(element.type)] ?? [1, 100];
  const groups = element.options === undefined ? element.option_groups : undefined;
  if (groups !== undefined && element.type !== 'overflow' && element.type !== 'radio_buttons') {
    if (!Array.isArray(groups) || groups.length === 0 || groups.length > 100) {
      say(`${at}/option_groups`, 'must be an array of 1 to 100 items');
      return;
    }
    groups.forEach((group: unknown, g) => {
      const where = `${at}/option_groups/${g}`;
      if (!isObject(group)) {
        say(where, 'must be an option group object');
        return;
      }
      validateText(group.label, `${where}/label`, say, { max: 75, plainOnly: true });
      validateOptionList(group.options, `${where}/options`, 1, 100, say);
    });
    return;
  }
  validateOptionList(element.options, `${at}/options`, min, max, say);
}

function validateOptionList(options: unknown, at: string, min: number, max: number, say: Say): void {
  if (!Array.isArray(options) || options.length < min || options.length > max) {
    say(at, `must be an array of ${min} to ${max} items`);
    return;
  }
  options.forEach((o: unknown, j) => {
    if (!isObject(o)) {
      say(`${at}/${j}`, 'must be an option object');
      return;
    }
    validateText(o.text, `${at}/${j}/text`, say, { max: 75 });
    if (typeof o.value !== 'string' || o.value.length > 150) {
      say(`${at}/${j}/value`, 'must be a string of at most 150 characters');
    }
  });
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
