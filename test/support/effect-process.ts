// One bot process's effect side, as build-bot.ts sets it up: its own store connection and effect
// runner talking to the emulated Slack, on steered time (its lease, renewals and polls).

import { WebClient } from '@slack/web-api';

import { createLogger } from '../../src/app/logger';
import { confluenceConfig } from '../../src/config/confluence-config';
import { NO_REMINDERS } from '../../src/domain/reminders';
import { SlackGateway } from '../../src/integrations/slack/slack-gateway';
import { slackMessages } from '../../src/blocks/slack-messages';
import { SANDBOX_BOT_TOKEN } from '../../src/sandbox/sandbox';
import type { SlackEmulator } from '../../src/sandbox/slack-emulator';
import type { SteeredTime } from '../../src/sandbox/steered-time';
import type { SqliteIncidentStore } from '../../src/store/sqlite/sqlite-store';
import { NO_ESCALATION_POLICIES } from '../../src/usecases/context';
import { EffectRunner } from '../../src/usecases/effects/effect-runner';

/** Claims last this long (short, so tests of their expiry need little steered time). */
export const LEASE_MS = 1_000;

/** What one bot process has: its own store connection and effect runner, talking to Slack as build-bot.ts sets it up. */
export interface BotProcess {
  store: SqliteIncidentStore;
  runner: EffectRunner;
}

export function startProcess(store: SqliteIncidentStore, emulator: SlackEmulator, time: SteeredTime, logs: string[]): BotProcess {
  const client = new WebClient(SANDBOX_BOT_TOKEN, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  const runner = new EffectRunner(
    {
      store,
      chat: new SlackGateway(client),
      messages: slackMessages,
      clock: time,
      settings: {
        timeZone: 'UTC',
        channelPrefix: 'inc',
        escalation: NO_ESCALATION_POLICIES,
        reminders: NO_REMINDERS,
        confluence: { enabled: false, missing: [] },
        tracker: { enabled: false },
      },
      logger: createLogger({ level: 'warn', write: (line) => logs.push(line) }),
      confluence: { config: confluenceConfig({ CONFLUENCE_AUTO_EXPORT: false }) },
    },
    store.outbox,
    { leaseMs: LEASE_MS, scheduler: time },
  );
  return { store, runner };
}
