// What every listener gets: the flows' dependencies, who people are, and where to log.
import type { webApi } from '@slack/bolt';
import type { FlowDeps, Actor } from '../flows/context.js';
import type { SendNow } from '../flows/delivery.js';
import type { TeamDefaults } from '../flows/set-up-team.js';
import type { Logger } from '../logger.js';
import type { People } from './people.js';

export type WebClient = webApi.WebClient;

export interface SlackDeps {
  readonly flow: FlowDeps;
  readonly defaults: TeamDefaults;
  readonly people: People;
  readonly logger: Logger;
  /**
   * Sends what a flow queued in the outbox (a proposal) at once, after the listener's ack: the same
   * route, metadata and retries as every message that must arrive once.
   */
  readonly sendNow: SendNow;
}

/** The acting person of an interaction payload (commands carry flat ids, the rest nest them). */
export function actorOf(body: {
  team_id?: string;
  user_id?: string;
  team?: { id?: string } | null;
  user?: { id?: string; team_id?: string } | string;
}): Actor {
  const teamId =
    body.team_id ?? body.team?.id ?? (typeof body.user === 'object' ? body.user.team_id : undefined);
  const userId = body.user_id ?? (typeof body.user === 'object' ? body.user.id : body.user);
  if (!teamId || !userId) throw new Error('an interaction without a team or a user');
  return { teamId, userId };
}
