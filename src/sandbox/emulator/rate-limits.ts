/**
 * Slack's rate limits, as token buckets on the emulator's clock: chat.postMessage per
 * conversation (about one a second, short bursts allowed), and optionally each method's tier
 * (calls a minute, per app and workspace). A call over the limit is answered 429 `ratelimited`
 * with `Retry-After` in seconds.
 */
import type { Workspace } from './workspace.js';

/** Calls a minute by method, from Slack's tiers (Tier 2 ≈ 20, Tier 3 ≈ 50, Tier 4 ≈ 100). */
export const METHOD_TIERS: Readonly<Record<string, number>> = {
  'auth.test': 100,
  'users.info': 100,
  'chat.update': 50,
  'chat.delete': 50,
  'chat.postEphemeral': 100,
  'chat.getPermalink': 100,
  'conversations.open': 50,
  'conversations.info': 50,
  'conversations.history': 50,
  'views.open': 100,
  'views.push': 100,
  'views.update': 100,
  'views.publish': 100,
};

export interface RateLimitOptions {
  /** per-conversation limit on chat.postMessage; off when absent */
  perConversation?: { perSecond: number; burst: number } | undefined;
  /** each method's tier limit ({@link METHOD_TIERS}); off unless true */
  methodTiers?: boolean | undefined;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ws: Workspace,
    private readonly options: RateLimitOptions,
  ) {}

  /** Takes one call's allowance; the seconds to wait when there is none left. */
  take(method: string, args: Record<string, unknown>): number | undefined {
    const { perConversation, methodTiers } = this.options;
    if (method === 'chat.postMessage' && perConversation && typeof args.channel === 'string') {
      return this.takeFrom(`channel:${this.conversationKey(args.channel)}`, perConversation);
    }
    const perMinute = methodTiers ? METHOD_TIERS[method] : undefined;
    if (perMinute === undefined) return undefined;
    return this.takeFrom(`method:${method}`, { perSecond: perMinute / 60, burst: perMinute });
  }

  // A post addressed to a person lands in their DM: it shares the DM's allowance, existing or not.
  private conversationKey(target: string): string {
    if (this.ws.channel(target)) return target;
    const dm = this.ws.channels().find((c) => c.isIm && c.user === target)?.id;
    return dm ?? (/^[UW]/.test(target) ? this.ws.dmChannelFor(target) : target);
  }

  private takeFrom(key: string, { perSecond, burst }: { perSecond: number; burst: number }) {
    const now = this.ws.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }
}
