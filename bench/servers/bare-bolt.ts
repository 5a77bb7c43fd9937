// Baseline (a): a bare Bolt app, same @slack/bolt as the bot, HTTPReceiver with
// processBeforeResponse, whose listeners only acknowledge. The token's identity is given up front
// (no auth.test: nothing leaves 127.0.0.1), as the bot's is cached after its first auth.test.

import type { Server } from 'node:http';

import { App, LogLevel } from '@slack/bolt';

import { SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET } from '../../src/sandbox/sandbox';
import { serve } from '../lib/child';

async function main(): Promise<void> {
  const app = new App({
    token: SANDBOX_BOT_TOKEN,
    botId: 'B0EMULBOT',
    botUserId: 'U0EMULBOT',
    tokenVerificationEnabled: false,
    signingSecret: SANDBOX_SIGNING_SECRET,
    processBeforeResponse: true,
    logLevel: LogLevel.ERROR,
  });
  app.command('/incident', async ({ ack }) => {
    await ack();
  });
  app.event('message', async () => undefined);
  app.event('reaction_added', async () => undefined);
  const server = (await app.start(0)) as Server;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  serve({ type: 'ready', port }, {}, () => app.stop().then(() => undefined));
}

main().catch((error: unknown) => {
  process.stderr.write(`bare-bolt: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
