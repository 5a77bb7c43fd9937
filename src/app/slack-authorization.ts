// Who the bot is in Slack (auth.test), for Bolt's authorize hook. Bolt's built-in single-token
// authorization calls auth.test once and keeps the promise even when it failed, so a Slack hiccup
// at startup would fail every later request. Here only a success is kept; a failure is retried on
// the next request, and startup warms it up with a few attempts.
// The result carries no token: Bolt then never builds a Web API client holding it (its listener
// `client` argument, unused here), so the token lives in one client, the gateway's.

import type { AuthorizeResult } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

import { onceUntilFailure } from '../shared/once-until-failure';
import type { Logger } from './logger';

export interface SlackAuthorization {
  authorize(): Promise<AuthorizeResult>;
  /** Tries a few times at startup; the bot starts anyway and retries on the first request. */
  warmUp(attempts?: number, delayMs?: number): Promise<void>;
}

export function slackAuthorization(client: WebClient, logger: Logger): SlackAuthorization {
  const authorize = onceUntilFailure(async (): Promise<AuthorizeResult> => {
    const result = await client.auth.test();
    return {
      ...(result.bot_id ? { botId: result.bot_id } : {}),
      ...(result.user_id ? { botUserId: result.user_id } : {}),
      ...(result.team_id ? { teamId: result.team_id } : {}),
      ...(result.enterprise_id ? { enterpriseId: result.enterprise_id } : {}),
    };
  });
  return {
    authorize,
    async warmUp(attempts = 5, delayMs = 1000) {
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          await authorize();
          return;
        } catch (error) {
          logger.warn({ err: error, attempt, attempts }, 'Slack auth.test failed; will retry');
          if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
      }
    },
  };
}
