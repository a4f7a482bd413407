// Where each surface's `register` puts its listeners, by the exact id Slack sends: the command's
// name, the button's action_id, the modal's callback_id, the event's type.
//
// Bolt tries every listener it has on every request, each through a middleware chain of its own:
// with some fifty listeners, that costs a request more CPU than its own work (half a millisecond per
// command on a quiet machine, whatever the command). So Bolt gets one listener per kind, which finds
// the one for the request's id in a map; what reaches a listener, and what reaches none, is as
// before.
import type {
  App,
  Middleware,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';

type Listener<Args> = Middleware<Args>;

export class Listeners {
  private readonly commands = new Map<string, Listener<SlackCommandMiddlewareArgs>>();
  private readonly actions = new Map<string, Listener<SlackActionMiddlewareArgs>>();
  private readonly views = new Map<string, Listener<SlackViewMiddlewareArgs>>();
  private readonly events = new Map<string, Listener<SlackEventMiddlewareArgs>>();

  command(name: string, listener: Listener<SlackCommandMiddlewareArgs>): void {
    add(this.commands, 'command', name, listener);
  }

  /** A block action (a button, a menu) by its action_id. */
  action<A extends SlackAction = SlackAction>(
    actionId: string,
    listener: Listener<SlackActionMiddlewareArgs<A>>,
  ): void {
    add(this.actions, 'action', actionId, listener as Listener<SlackActionMiddlewareArgs>);
  }

  /** A modal's submission (view_submission) by its callback_id. */
  view<V extends SlackViewAction = SlackViewAction>(
    callbackId: string,
    listener: Listener<SlackViewMiddlewareArgs<V>>,
  ): void {
    add(this.views, 'view', callbackId, listener as Listener<SlackViewMiddlewareArgs>);
  }

  event<E extends string>(type: E, listener: Listener<SlackEventMiddlewareArgs<E>>): void {
    add(this.events, 'event', type, listener as unknown as Listener<SlackEventMiddlewareArgs>);
  }

  /** Hands them to Bolt: one listener per kind, matching exactly the ids registered. */
  mount(app: App): void {
    const { commands, actions, views, events } = this;
    if (commands.size > 0)
      app.command(exactly(commands), (args) => commands.get(args.command.command)!(args));
    if (actions.size > 0)
      app.action({ action_id: exactly(actions) }, (args) =>
        actions.get((args.payload as { action_id: string }).action_id)!(args),
      );
    if (views.size > 0)
      app.view({ type: 'view_submission', callback_id: exactly(views) }, (args) =>
        views.get(args.view.callback_id)!(args),
      );
    if (events.size > 0) app.event(exactly(events), (args) => events.get(args.event.type)!(args));
  }
}

function add<L>(into: Map<string, L>, kind: string, id: string, listener: L): void {
  // Bolt would run both; one id, one listener keeps the map honest.
  if (into.has(id)) throw new Error(`two listeners for the ${kind} ${id}`);
  into.set(id, listener);
}

/** A pattern that matches exactly the map's keys. */
function exactly(listeners: Map<string, unknown>): RegExp {
  const escaped = [...listeners.keys()].map((id) => id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^(?:${escaped.join('|')})$`);
}
