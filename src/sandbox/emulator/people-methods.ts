/** Who the app is and who the people are: auth.test and users.info. */
import { apiUser, botUser } from './api-objects.js';
import { fail, flag, str } from './args.js';
import type { Method } from './web-api.js';

export const PEOPLE_METHODS: Record<string, Method> = {
  'auth.test': (ws) => ({
    ok: true,
    url: `https://${ws.identity.teamDomain}.slack.com/`,
    team: ws.identity.teamName,
    user: ws.identity.botName,
    team_id: ws.identity.teamId,
    user_id: ws.identity.botUserId,
    bot_id: ws.identity.botId,
    is_enterprise_install: false,
  }),

  'users.info': (ws, args) => {
    const id = str(args.user);
    const user = id === ws.identity.botUserId ? botUser(ws) : id ? ws.user(id) : undefined;
    if (!user) return fail('user_not_found');
    return {
      ok: true,
      user: { ...apiUser(ws, user), ...(flag(args.include_locale) ? { locale: 'en-US' } : {}) },
    };
  },
};
