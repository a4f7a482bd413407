// Who people are, as Slack says (users.info), remembered for a while: every command, click and
// home-tab visit needs the actor's name and whether they are a workspace admin, and asking Slack
// each time would spend the 3-second budget of the request on a lookup that rarely changes.
import type { Logger } from '../logger.js';
import type { FlowDeps } from '../flows/context.js';
import { knownPerson } from '../flows/overview.js';
import { recognizePerson, type TeamDefaults } from '../flows/set-up-team.js';
import type { WebClient } from './deps.js';

export interface SlackProfile {
  readonly userId: string;
  readonly name: string;
  /** IANA zone from the person's Slack profile. */
  readonly timeZone: string | null;
  /** Workspace admin or owner: a lead the first time Steward sees them. */
  readonly isWorkspaceAdmin: boolean;
  readonly isBot: boolean;
  readonly deleted: boolean;
}

export const PROFILE_TTL_MS = 10 * 60 * 1000;

interface UsersInfoUser {
  id?: string;
  name?: string;
  real_name?: string;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
  profile?: { real_name?: string; display_name?: string };
}

export class People {
  private readonly profiles = new Map<string, { at: number; profile: Promise<SlackProfile> }>();
  private readonly recognised = new Map<string, number>();
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly client: WebClient,
    private readonly deps: { flow: FlowDeps; defaults: TeamDefaults; logger: Logger },
    private readonly ttlMs = PROFILE_TTL_MS,
    // Cache ages use the machine's clock, not the injected business clock a test may freeze.
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The person's Slack profile, from the cache when fresh; concurrent lookups share one call. */
  profile(userId: string): Promise<SlackProfile> {
    const cached = this.profiles.get(userId);
    if (cached && this.clock() - cached.at < this.ttlMs) return cached.profile;
    const profile = this.lookUp(userId);
    const entry = { at: this.clock(), profile };
    this.profiles.set(userId, entry);
    // A failed lookup is not remembered: the next request asks again.
    profile.catch(() => {
      if (this.profiles.get(userId) === entry) this.profiles.delete(userId);
    });
    return profile;
  }

  /**
   * Makes sure Steward knows the acting person (workspace admins become leads the first time).
   * Someone already known goes on at once while their name is refreshed in the background, so a
   * slow users.info never holds up a request that has to answer within 3 seconds.
   */
  async recognise(teamId: string, userId: string): Promise<void> {
    const key = `${teamId}:${userId}`;
    const seen = this.recognised.get(key);
    if (seen !== undefined && this.clock() - seen < this.ttlMs) return;
    let refresh = this.refreshing.get(key);
    if (!refresh) {
      refresh = this.profile(userId)
        .then(async (profile) => {
          await recognizePerson({ ...this.deps.flow, defaults: this.deps.defaults }, teamId, {
            userId,
            name: profile.name,
            isWorkspaceAdmin: profile.isWorkspaceAdmin,
          });
          this.recognised.set(key, this.clock());
        })
        .finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, refresh);
      // Whoever needs the outcome awaits it below; this only keeps shutdown waiting for the write.
      this.track(refresh.catch(() => undefined));
    }
    if (await knownPerson(this.deps.flow, { teamId, userId })) {
      refresh.catch((error: unknown) =>
        this.deps.logger.warn({ err: error, userId }, 'could not refresh a profile'),
      );
      return;
    }
    await refresh;
  }

  /** Waits for background refreshes (shutdown: they write to the database). */
  async drain(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private track(work: Promise<unknown>): void {
    this.background.add(work);
    void work.finally(() => this.background.delete(work));
  }

  private async lookUp(userId: string): Promise<SlackProfile> {
    const answer = await this.client.users.info({ user: userId });
    const user = (answer.user ?? {}) as UsersInfoUser;
    const name =
      user.real_name?.trim() ||
      user.profile?.real_name?.trim() ||
      user.profile?.display_name?.trim() ||
      user.name ||
      userId;
    return {
      userId,
      name,
      timeZone: user.tz ?? null,
      isWorkspaceAdmin: Boolean(user.is_admin || user.is_owner || user.is_primary_owner),
      isBot: Boolean(user.is_bot),
      deleted: Boolean(user.deleted),
    };
  }
}
