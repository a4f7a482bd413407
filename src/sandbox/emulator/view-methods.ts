/** Modals (opened with a trigger, pushed, updated) and Home tabs. */
import { fail, isFailure, str } from './args.js';
import {
  buildView,
  externalIdTaken,
  openModal,
  pushModal,
  updateModal,
  viewArgument,
} from './modal-stack.js';
import type { Method } from './web-api.js';

export const VIEW_METHODS: Record<string, Method> = {
  'views.open': (ws, args) => {
    const input = viewArgument(args, 'modal');
    if (isFailure(input)) return input;
    const trigger = ws.exchangeTrigger(args.trigger_id ?? args.interactivity_pointer);
    if ('error' in trigger) return fail(trigger.error);
    return openModal(ws, trigger.userId, input);
  },

  'views.push': (ws, args) => {
    const input = viewArgument(args, 'modal');
    if (isFailure(input)) return input;
    const trigger = ws.exchangeTrigger(args.trigger_id ?? args.interactivity_pointer);
    if ('error' in trigger) return fail(trigger.error);
    return pushModal(ws, trigger.userId, input);
  },

  'views.update': (ws, args) => {
    const viewId = str(args.view_id);
    const externalId = str(args.external_id);
    if (!viewId && !externalId) {
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] view_id or external_id required'] },
      });
    }
    const found = ws.findView((v) => (viewId ? v.id === viewId : v.external_id === externalId));
    if (!found) return fail('not_found');
    const hash = str(args.hash);
    if (hash && hash !== found.view.hash) return fail('hash_conflict');
    const input = viewArgument(args, found.view.type);
    if (isFailure(input)) return input;
    if (externalIdTaken(ws, input, found.view.id)) return fail('duplicate_external_id');
    if (found.place === 'stack') return { ok: true, view: updateModal(ws, found.userId, found.index, input) };
    const view = buildView(ws, input, {
      id: found.view.id,
      root: found.view.root_view_id,
      previous: null,
      previous_state: found.view.state,
    });
    ws.setHome(found.userId, view);
    return { ok: true, view };
  },

  'views.publish': (ws, args) => {
    const userId = str(args.user_id);
    if (!userId || !ws.user(userId)) return fail('user_not_found');
    const input = viewArgument(args, 'home');
    if (isFailure(input)) return input;
    const current = ws.home(userId);
    const hash = str(args.hash);
    if (hash && current && hash !== current.hash) return fail('hash_conflict');
    const id = current?.id ?? ws.newId('V');
    const view = buildView(ws, input, {
      id,
      root: id,
      previous: null,
      ...(current ? { previous_state: current.state } : {}),
    });
    ws.setHome(userId, view);
    return { ok: true, view };
  },
};
