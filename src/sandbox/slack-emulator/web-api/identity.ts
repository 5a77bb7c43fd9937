import { userJson } from '../serialize';
import { defineMethod, type ApiMethod } from './define';

const authTest = defineMethod([], ({ ws }) => ({
  url: `https://${ws.identity.teamDomain}.slack.com/`,
  team: ws.identity.teamName,
  user: ws.identity.botName,
  team_id: ws.identity.teamId,
  user_id: ws.identity.botUserId,
  bot_id: ws.identity.botId,
  is_enterprise_install: false,
}));

const usersInfo = defineMethod(['user_not_found'], ({ args, ws }, fail) => {
  const userId = args.string('user');
  const user = userId ? ws.directory.user(userId) : undefined;
  return user ? { user: userJson(ws, user) } : fail('user_not_found');
});

export const identityMethods: Record<string, ApiMethod> = {
  'auth.test': authTest,
  'users.info': usersInfo,
};
