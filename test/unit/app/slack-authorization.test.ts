// Bolt's authorize hook, against the emulated Slack's auth.test.

import { WebClient } from '@slack/web-api';

import { createLogger } from '../../../src/app/logger';
import { slackAuthorization } from '../../../src/app/slack-authorization';
import { SANDBOX_BOT_TOKEN } from '../../../src/sandbox/sandbox';
import { SlackEmulator } from '../../../src/sandbox/slack-emulator';

describe('slackAuthorization', () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  const logs: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => logs.push(line) });

  beforeEach(async () => {
    emulator = await SlackEmulator.start({ botToken: SANDBOX_BOT_TOKEN });
    client = new WebClient(SANDBOX_BOT_TOKEN, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } });
  });

  afterEach(async () => {
    await emulator.stop();
  });

  it('when Slack answers auth.test, then Bolt learns who the bot is but gets no token (it builds no client with one)', async () => {
    const result = await slackAuthorization(client, logger).authorize();
    expect(result).toStrictEqual({ botId: emulator.identity.botId, botUserId: emulator.identity.botUserId, teamId: emulator.identity.teamId });
  });

  it('when auth.test fails once, then the next request asks again and succeeds (a failure is not kept)', async () => {
    emulator.failNext('auth.test', { status: 500 });
    const authorization = slackAuthorization(client, logger);
    await expect(authorization.authorize()).rejects.toThrow();
    await expect(authorization.authorize()).resolves.toMatchObject({ botUserId: emulator.identity.botUserId });
    expect(emulator.callsTo('auth.test')).toHaveLength(2);
  });
});
