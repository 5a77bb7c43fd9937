// Effect claims with two bot processes on one database (two connections to one SQLite file, two
// effect runners with their own owner ids) against the emulated Slack. Claims are short, so a dead
// process's work passes on soon; a live process renews its claim while a slow Slack call runs, so
// the other never runs that effect alongside it. Time is steered: leases, renewals and polls run on
// it, and a slow Slack answer is held until the test releases it, so nothing sleeps on wall time.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Incident } from '../../src/domain/incident';
import { SANDBOX_BOT_TOKEN } from '../../src/sandbox/sandbox';
import { SlackEmulator } from '../../src/sandbox/slack-emulator';
import { SteeredTime } from '../../src/sandbox/steered-time';
import { SqliteIncidentStore } from '../../src/store/sqlite/sqlite-store';
import { newEvent, newIncident, T0 } from '../contract/fixtures';
import { LEASE_MS, startProcess, type BotProcess } from '../support/effect-process';

/** How often a runner looks for due effects (EffectRunner's poll). */
const POLL_MS = 1_000;
const LINE = 'Paging bob for the checkout outage';

describe('effect claims shared by two processes', () => {
  let emulator: SlackEmulator;
  let dir: string;
  let a: BotProcess;
  let b: BotProcess;
  let channelId: string;
  let incident: Incident;
  let time: SteeredTime;
  /** Lets a held Slack answer go, so a runner still waiting on it can stop. */
  let releaseHeld = () => undefined as void;
  const logs: string[] = [];

  beforeEach(async () => {
    time = new SteeredTime(T0);
    emulator = await SlackEmulator.start({ botToken: SANDBOX_BOT_TOKEN, clock: time });
    channelId = emulator.createChannel({ name: 'inc-checkout', members: [emulator.identity.botUserId] }).id;
    dir = mkdtempSync(join(tmpdir(), 'effect-claims-'));
    const file = join(dir, 'incidents.db');
    a = startProcess(SqliteIncidentStore.open(file), emulator, time, logs);
    b = startProcess(SqliteIncidentStore.open(file), emulator, time, logs);
    const declared = newIncident({ chat: { channelId, channelName: 'inc-checkout' }, declaredAt: time.now() });
    ({ incident } = await a.store.declareIncident(declared, [newEvent()], [{ kind: 'channel.post', text: LINE }]));
  });

  afterEach(async () => {
    releaseHeld();
    await Promise.all([a.runner.stop(), b.runner.stop()]);
    await Promise.all([a.store.close(), b.store.close()]);
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
    logs.length = 0;
  });

  const posts = () => emulator.callsTo('chat.postMessage');
  const historyReads = () => emulator.callsTo('conversations.history');

  /** Resolves when Slack has carried out A's post (its answer is still held). */
  function postReachesSlack(): Promise<void> {
    return new Promise((resolve) => {
      const stop = emulator.onCall((call) => {
        if (call.method !== 'chat.postMessage') return;
        stop();
        resolve();
      });
    });
  }

  /** A starts the effect; Slack carries the post out at once but answers only when released. B starts polling. */
  async function aStartsSlowPost(): Promise<() => void> {
    const release = (releaseHeld = emulator.holdAnswer('chat.postMessage'));
    const reached = postReachesSlack();
    a.runner.kick(incident.id);
    await reached;
    b.runner.start();
    return release;
  }

  it('when a Slack call outlasts the lease, then its owner keeps the claim and the other process never runs the effect', async () => {
    const release = await aStartsSlowPost();
    await time.pass(4 * LEASE_MS, () => b.runner.idle());
    // Four leases have passed; A's renewals hold the effect (a probe claim would take it otherwise).
    const [effect] = await b.store.outbox.pending(incident.id);
    expect(await b.store.outbox.claim(effect.id, 'probe', time.now(), LEASE_MS)).toBe(false);

    release();
    await a.runner.idle();
    await time.pass(POLL_MS, () => b.runner.idle()); // B looks once more after A finished
    expect(await b.store.outbox.pending(incident.id)).toEqual([]);
    expect(posts()).toHaveLength(1);
    expect(historyReads()).toHaveLength(0);
    expect(emulator.messages(channelId).map((m) => m.text)).toEqual([LINE]);
    expect(logs.filter((line) => line.includes('claim'))).toEqual([]);
  });

  it('when the owner dies mid-call, then the other process takes the effect soon after the lease and finds the post instead of repeating it', async () => {
    let takenAt: number | undefined;
    emulator.onCall((call) => {
      if (call.method === 'conversations.history') takenAt ??= time.now();
    });
    await aStartsSlowPost();
    await time.pass(1.5 * LEASE_MS, () => b.runner.idle());
    expect(takenAt).toBeUndefined(); // B has been polling, but A holds the claim

    // A's process is gone: it renews nothing and stores nothing (its call is still waiting for Slack).
    const diedAt = time.now();
    await a.store.close();
    await time.pass(LEASE_MS + POLL_MS, () => b.runner.idle());
    expect(await b.store.outbox.pending(incident.id)).toEqual([]);

    // The last renewal was at most a third of a lease before A died; B then needs up to one poll.
    expect(takenAt! - diedAt).toBeGreaterThanOrEqual((2 / 3) * LEASE_MS);
    expect(takenAt! - diedAt).toBeLessThanOrEqual(LEASE_MS + POLL_MS);
    expect(posts()).toHaveLength(1);
    expect(emulator.messages(channelId).map((m) => m.text)).toEqual([LINE]);
  });
});
