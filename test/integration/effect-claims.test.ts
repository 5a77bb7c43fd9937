// Effect claims with two bot processes on one database (two connections to one SQLite file, two
// effect runners with their own owner ids) against the emulated Slack. Claims are short, so a dead
// process's work passes on soon; a live process renews its claim while a slow Slack call runs, so
// the other never runs that effect alongside it.

import { NO_REMINDERS } from '../../src/domain/reminders';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { WebClient } from '@slack/web-api';

import { createLogger } from '../../src/app/logger';
import { confluenceConfig } from '../../src/config/confluence-config';
import type { Incident } from '../../src/domain/incident';
import { SlackGateway } from '../../src/integrations/slack/slack-gateway';
import { SANDBOX_BOT_TOKEN } from '../../src/sandbox/sandbox';
import { SlackEmulator } from '../../src/sandbox/slack-emulator';
import { SqliteIncidentStore } from '../../src/store/sqlite/sqlite-store';
import { NO_ESCALATION_POLICIES } from '../../src/usecases/context';
import { EffectRunner } from '../../src/usecases/effects/effect-runner';
import { newEvent, newIncident } from '../contract/fixtures';

const LEASE_MS = 1_000;
/** How often a runner looks for due effects (EffectRunner's poll). */
const POLL_MS = 1_000;
const LINE = 'Paging bob for the checkout outage';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** What one bot process has: its own store connection and effect runner, talking to Slack as build-bot.ts sets it up. */
interface BotProcess {
  store: SqliteIncidentStore;
  runner: EffectRunner;
}

function startProcess(file: string, emulator: SlackEmulator, logs: string[]): BotProcess {
  const store = SqliteIncidentStore.open(file);
  const client = new WebClient(SANDBOX_BOT_TOKEN, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  const runner = new EffectRunner(
    {
      store,
      chat: new SlackGateway(client),
      clock: { now: () => Date.now() },
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
    { leaseMs: LEASE_MS },
  );
  return { store, runner };
}

describe('effect claims shared by two processes', () => {
  let emulator: SlackEmulator;
  let dir: string;
  let a: BotProcess;
  let b: BotProcess;
  let channelId: string;
  let incident: Incident;
  const logs: string[] = [];

  beforeEach(async () => {
    emulator = await SlackEmulator.start({ botToken: SANDBOX_BOT_TOKEN });
    channelId = emulator.createChannel({ name: 'inc-checkout', members: [emulator.identity.botUserId] }).id;
    dir = mkdtempSync(join(tmpdir(), 'effect-claims-'));
    const file = join(dir, 'incidents.db');
    a = startProcess(file, emulator, logs);
    b = startProcess(file, emulator, logs);
    const declared = newIncident({ chat: { channelId, channelName: 'inc-checkout' }, declaredAt: Date.now() });
    ({ incident } = await a.store.declareIncident(declared, [newEvent()], [{ kind: 'channel.post', text: LINE }]));
  });

  afterEach(async () => {
    await Promise.all([a.runner.stop(), b.runner.stop()]);
    await Promise.all([a.store.close(), b.store.close()]);
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
    logs.length = 0;
  });

  const posts = () => emulator.callsTo('chat.postMessage');
  const historyReads = () => emulator.callsTo('conversations.history');

  /** A starts the effect; Slack carries the post out at once but answers only after `answerMs`. */
  async function aStartsSlowPost(answerMs: number): Promise<void> {
    emulator.delayAnswers('chat.postMessage', answerMs);
    a.runner.kick(incident.id);
    await waitFor('the post to reach Slack', () => posts().length === 1);
    b.runner.start();
  }

  it('when a Slack call outlasts the lease, then its owner keeps the claim and the other process never runs the effect', async () => {
    await aStartsSlowPost(4 * LEASE_MS);
    await sleep(2.5 * LEASE_MS);
    // The first lease ended long ago; A's renewals hold the effect (a probe claim would take it otherwise).
    const [effect] = await b.store.pendingEffects(incident.id);
    expect(await b.store.claimEffect(effect.id, 'probe', Date.now(), LEASE_MS)).toBe(false);

    await a.runner.idle();
    await sleep(POLL_MS + 200); // B looks once more after A finished
    expect(await b.store.pendingEffects(incident.id)).toEqual([]);
    expect(posts()).toHaveLength(1);
    expect(historyReads()).toHaveLength(0);
    expect(emulator.messages(channelId).map((m) => m.text)).toEqual([LINE]);
    expect(logs.filter((line) => line.includes('claim'))).toEqual([]);
  }, 20_000);

  it('when the owner dies mid-call, then the other process takes the effect soon after the lease and finds the post instead of repeating it', async () => {
    let takenAt: number | undefined;
    emulator.onCall((call) => {
      if (call.method === 'conversations.history') takenAt ??= Date.now();
    });
    await aStartsSlowPost(6 * LEASE_MS);
    await sleep(1.5 * LEASE_MS);
    expect(takenAt).toBeUndefined(); // B has been polling, but A holds the claim

    // A's process is gone: it renews nothing and stores nothing (its call is still waiting for Slack).
    const diedAt = Date.now();
    await a.store.close();
    await waitFor('B to finish the effect', async () => (await b.store.pendingEffects(incident.id)).length === 0);

    // The last renewal was at most a third of a lease before A died; B then needs up to one poll.
    expect(takenAt! - diedAt).toBeGreaterThanOrEqual((2 / 3) * LEASE_MS - 50);
    expect(takenAt! - diedAt).toBeLessThan(LEASE_MS + POLL_MS + 500);
    expect(posts()).toHaveLength(1);
    expect(emulator.messages(channelId).map((m) => m.text)).toEqual([LINE]);
  }, 20_000);
});
