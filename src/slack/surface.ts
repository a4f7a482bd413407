// What Steward asks of Slack, in one place: the commands and events it registers, and the OAuth
// scope each Web API method it calls needs. manifest.yml must agree (test/manifest.test.ts checks
// it against these and against the calls found in the source).
import { COMMAND } from './ids.js';

export const SLASH_COMMANDS = [COMMAND] as const;

export const BOT_EVENTS = ['app_home_opened', 'channel_shared', 'channel_unshared'] as const;

/** Scopes the app needs without calling any method: the slash command itself. */
export const FEATURE_SCOPES: Readonly<Record<string, string>> = {
  commands: `the ${COMMAND} slash command`,
};

/**
 * Every Web API method the code may call, with the bot scopes it needs. A method missing here fails
 * the manifest test as soon as someone calls it, so a new call brings its scope along.
 */
export const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  // Who the actor is (name, admin or owner) and who a command names.
  'users.info': ['users:read'],
  // chat:write.public: the rotation and engagement channels are picked by people, and Steward may
  // not have been invited to them; without it, posting to a public channel fails with not_in_channel.
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.getPermalink': [],
  // DMs to owners (the plan, Hand back) and to leads (escalations).
  'conversations.open': ['im:write'],
  'conversations.info': ['channels:read', 'groups:read', 'im:read'],
  // A retried job finds what it already sent by the message metadata it left.
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'views.open': [],
  'views.update': [],
  'views.push': [],
  'views.publish': [],
  // The report's CSV and chart, sent to the asker's DM.
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};

/** The bot scopes the listed methods need, plus the feature scopes, sorted. */
export function scopesFor(methods: Iterable<string>): string[] {
  const scopes = new Set(Object.keys(FEATURE_SCOPES));
  for (const method of methods) {
    const needed = METHOD_SCOPES[method];
    if (!needed)
      throw new Error(`no scopes recorded for ${method}: add it to METHOD_SCOPES in src/slack/surface.ts`);
    for (const scope of needed) scopes.add(scope);
  }
  return [...scopes].sort();
}
