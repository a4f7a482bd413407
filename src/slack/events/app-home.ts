// App Home: my engagements and next milestones, the team's workload, and who is next.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Actor } from '../../flows/context.js';
import { homeExposure } from '../../flows/exposure-report.js';
import { waitingOnLead } from '../../flows/lead-home.js';
import { myEngagements, teamOverview, type TeamViewFailure } from '../../flows/overview.js';
import type { Result } from '../../domain/result.js';
import { exposureHomeBlocks } from '../blocks/exposure-home.js';
import { homeView } from '../blocks/overview.js';
import type { SlackDeps, WebClient } from '../deps.js';
import type { Listeners } from '../listeners.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.event('app_home_opened', homeOpened(deps));
}

export interface HomeOptions {
  /** Where "Waiting on you" starts (its "Show more"). */
  readonly waitingOffset?: number;
}

export async function publishHome(
  client: WebClient,
  deps: SlackDeps,
  actor: Actor,
  options: HomeOptions = {},
): Promise<void> {
  const [mine, overview, exposure, waiting] = await Promise.all([
    myEngagements(deps.flow, actor),
    teamOverview(deps.flow, actor),
    homeExposure(deps.flow, actor),
    waitingOnLead(deps.flow, actor),
  ]);
  const view = homeView({
    mine: shownOrNot(mine),
    overview: shownOrNot(overview),
    waiting,
    waitingOffset: options.waitingOffset ?? 0,
  });
  if (exposure.ok) {
    const queue = overview.ok ? overview.value.queue.ranked : null;
    view.blocks.push(...exposureHomeBlocks(exposure.value, actor.userId, queue));
  }
  await client.views.publish({ user_id: actor.userId, view });
}

/**
 * A refused section is left out: a workspace not set up yet has nothing to show (the home says how
 * to start), and a guest sees nothing of the team's.
 */
function shownOrNot<T>(result: Result<T, TeamViewFailure>): T | null {
  if (result.ok) return result.value;
  switch (result.code) {
    case 'unknown-team':
    case 'not-on-team':
      return null;
  }
}

/** After a lead acts from App Home, the home shows what is left (a click elsewhere changes nothing here). */
export async function refreshHomeIfThere(
  args: { body: { view?: { type?: string } | undefined }; client: WebClient },
  deps: SlackDeps,
  actor: Actor,
): Promise<void> {
  if (args.body.view?.type === 'home') await publishHome(args.client, deps, actor);
}

export const homeOpened =
  (deps: SlackDeps) =>
  async ({
    event,
    body,
    client,
  }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    // The same event fires for the Messages tab, where there's nothing to draw.
    if (event.tab !== 'home') return;
    const actor = { teamId: body.team_id, userId: event.user };
    await deps.people.recognise(actor.teamId, actor.userId);
    await publishHome(client, deps, actor);
  };
