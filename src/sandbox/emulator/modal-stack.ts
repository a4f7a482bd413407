/**
 * Each person's modal stack and Home tab: views built from what the app sends, the stack's
 * limit, what a person types into inputs, and the `response_action` a submission's ack carries.
 */
import { fail, flag, isObject, str, type ApiResult, type Args } from './args.js';
import { validateView } from './blocks.js';
import { carriedState, initialValue, inputBlocks, resolveEntry, withGeneratedIds } from './inputs.js';
import type {
  Block,
  BotReply,
  EmulatedView,
  InputEntry,
  ViewInput,
  ViewStateValues,
  ViewSubmissionResult,
} from './types.js';
import type { Workspace } from './workspace.js';

/** Slack keeps a root view and up to two pushed on top of it; the third push is refused. */
export const MAX_STACK = 3;
/** Above about 250 kB of JSON Slack answers `view_too_large`. */
export const MAX_VIEW_BYTES = 250_000;

/** The `view` argument of views.*, or Slack's error for it. */
export function viewArgument(args: Args, expected: 'modal' | 'home'): Record<string, unknown> | ApiResult {
  const view = args.view;
  if (!isObject(view))
    return fail('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing or invalid `view`'] },
    });
  if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return fail('view_too_large');
  const problems = validateView(view, expected);
  if (problems.length > 0) {
    return fail('invalid_arguments', {
      response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
    });
  }
  return view;
}

export function buildView(
  ws: Workspace,
  input: Record<string, unknown>,
  placement: {
    id: string;
    root: string | null;
    previous: string | null;
    previous_state?: EmulatedView['state'];
  },
): EmulatedView {
  const blocks = withGeneratedIds((input.blocks ?? []) as Block[], ws.nextBlockId);
  return {
    id: placement.id,
    team_id: ws.identity.teamId,
    type: input.type as 'modal' | 'home',
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.submit !== undefined ? { submit: input.submit } : {}),
    ...(input.close !== undefined ? { close: input.close } : {}),
    blocks,
    private_metadata: str(input.private_metadata) ?? '',
    callback_id: str(input.callback_id) ?? '',
    external_id: str(input.external_id) ?? '',
    state: { values: placement.previous_state ? carriedState(placement.previous_state.values, blocks) : {} },
    hash: ws.newHash(),
    clear_on_close: flag(input.clear_on_close),
    notify_on_close: flag(input.notify_on_close),
    root_view_id: placement.root,
    previous_view_id: placement.previous,
    app_id: ws.identity.appId,
    app_installed_team_id: ws.identity.teamId,
    bot_id: ws.identity.botId,
  };
}

export function externalIdTaken(
  ws: Workspace,
  input: Record<string, unknown>,
  exceptViewId?: string,
): boolean {
  const externalId = str(input.external_id);
  if (!externalId) return false;
  return ws.findView((v) => v.external_id === externalId && v.id !== exceptViewId) !== undefined;
}

/** Opens a new stack: a modal from outside the current one replaces it, as in Slack's client. */
export function openModal(ws: Workspace, userId: string, input: Record<string, unknown>): ApiResult {
  if (externalIdTaken(ws, input)) return fail('duplicate_external_id');
  const id = ws.newId('V');
  const view = buildView(ws, input, { id, root: id, previous: null });
  ws.setStack(userId, [view]);
  return { ok: true, view };
}

/** Builds a modal on top of a stack, checked like views.push; used by response_action `push` too. */
export function pushModal(ws: Workspace, userId: string, input: Record<string, unknown>): ApiResult {
  const stack = ws.stack(userId);
  const top = stack[stack.length - 1];
  if (!top) return fail('not_found');
  if (stack.length >= MAX_STACK) return fail('push_limit_reached');
  if (externalIdTaken(ws, input)) return fail('duplicate_external_id');
  const view = buildView(ws, input, { id: ws.newId('V'), root: stack[0]?.id ?? null, previous: top.id });
  ws.setStack(userId, [...stack, view]);
  return { ok: true, view };
}

/** Replaces a modal in place (same id, new hash), keeping what was typed in surviving inputs. */
export function updateModal(
  ws: Workspace,
  userId: string,
  index: number,
  input: Record<string, unknown>,
): EmulatedView {
  const old = ws.stack(userId)[index];
  if (!old) throw new Error(`no view at ${index} for ${userId}`);
  const view = buildView(ws, input, {
    id: old.id,
    root: old.root_view_id,
    previous: old.previous_view_id,
    previous_state: old.state,
  });
  ws.replaceView(userId, 'stack', index, view);
  return view;
}

/** A view the person has in front of them: their top modal or their home tab. */
export function visibleView(ws: Workspace, userId: string, viewId: string): EmulatedView {
  const stack = ws.stack(userId);
  const top = stack[stack.length - 1];
  if (top?.id === viewId) return top;
  const home = ws.home(userId);
  if (home?.id === viewId) return home;
  throw new Error(`${userId} does not see view ${viewId}`);
}

/** A copy of the person's top modal, if one is open. */
export function topView(ws: Workspace, userId: string): EmulatedView | undefined {
  const top = ws.stack(userId).at(-1);
  return top ? structuredClone(top) : undefined;
}

/** The view's state with the person's entries applied; every input block is present, as in Slack. */
export function enteredState(view: EmulatedView, values: ViewInput): ViewStateValues {
  const inputs = inputBlocks(view.blocks);
  const state: ViewStateValues = {};
  for (const { block, element } of inputs) {
    const actionId = String(element.action_id);
    state[block.block_id] = {
      [actionId]: view.state.values[block.block_id]?.[actionId] ?? initialValue(element),
    };
  }
  for (const [blockId, given] of Object.entries(values)) {
    const input = inputs.find(({ block }) => block.block_id === blockId);
    if (!input) throw new Error(`view ${view.id} has no input block ${blockId}`);
    const actionId = String(input.element.action_id);
    const byAction: Record<string, InputEntry> =
      isObject(given) && actionId in given
        ? (given as Record<string, InputEntry>)
        : { [actionId]: given as InputEntry };
    for (const [action, entry] of Object.entries(byAction)) {
      if (action !== actionId) throw new Error(`input block ${blockId} has no element ${action}`);
      state[blockId] = { [actionId]: resolveEntry(input.element, entry, `${blockId}.${actionId}`) };
    }
  }
  return state;
}

/** Keeps what the person typed in a view, wherever it is open. */
export function storeState(ws: Workspace, userId: string, viewId: string, values: ViewStateValues): void {
  const stack = ws.stack(userId);
  const index = stack.findIndex((v) => v.id === viewId);
  const view = stack[index];
  if (view) {
    const views = [...stack];
    views[index] = { ...view, state: { values } };
    ws.setStack(userId, views);
    return;
  }
  const home = ws.home(userId);
  if (home?.id === viewId) ws.setHome(userId, { ...home, state: { values } });
}

/**
 * What a submission's ack does to the stack, as Slack applies it: `errors` keeps the view,
 * `update` replaces it, `push` stacks a new one, `clear` closes them all, and a plain 200 closes
 * the submitted view. An answer Slack cannot use keeps the view and says why.
 */
export function applyResponseAction(
  ws: Workspace,
  userId: string,
  viewId: string,
  reply: BotReply,
): Omit<ViewSubmissionResult, keyof BotReply | 'delivered'> {
  const after = () => {
    const view = topView(ws, userId);
    return view ? { view } : {};
  };
  if (reply.status !== 200) {
    return {
      ...after(),
      problems: [reply.timedOut ? 'the app did not answer in time' : `the app answered ${reply.status}`],
    };
  }
  const stack = ws.stack(userId);
  const index = stack.findIndex((v) => v.id === viewId);
  const body = reply.body;
  const action = isObject(body) ? body.response_action : undefined;
  if (action === undefined) {
    if (index >= 0) ws.setStack(userId, stack.slice(0, index));
    return after();
  }
  const current = stack[index];
  if (!isObject(body) || !current) return { ...after(), problems: [`view ${viewId} is no longer open`] };
  switch (action) {
    case 'errors': {
      const errors = isObject(body.errors) ? (body.errors as Record<string, string>) : {};
      const inputIds = new Set(inputBlocks(current.blocks).map(({ block }) => block.block_id));
      const unknown = Object.keys(errors).filter((id) => !inputIds.has(id));
      return {
        responseAction: 'errors',
        errors,
        ...after(),
        ...(unknown.length > 0
          ? { problems: unknown.map((id) => `errors name ${id}, which is not an input block`) }
          : {}),
      };
    }
    case 'update':
    case 'push': {
      const responseAction = action as 'update' | 'push';
      const view = viewArgument(body, 'modal');
      if ('ok' in view) {
        const messages = (view.response_metadata as { messages?: string[] } | undefined)?.messages;
        return { responseAction, ...after(), problems: messages ?? [String(view.error)] };
      }
      if (responseAction === 'update') updateModal(ws, userId, index, view);
      else {
        const pushed = pushModal(ws, userId, view);
        if (!pushed.ok) return { responseAction, ...after(), problems: [String(pushed.error)] };
      }
      return { responseAction, ...after() };
    }
    case 'clear':
      ws.setStack(userId, []);
      return { responseAction: 'clear' };
    default:
      return { ...after(), problems: [`unknown response_action ${String(action)}`] };
  }
}
