// Coalescing end to end (the rule is coalescesWithPending): changes queued before the runner claims
// a header update fold into it and one rendering shows their last state; an update queued while it
// runs still runs after it, paced, since that render may have read the state before.

import type { Incident } from '../../src/domain/incident';
import { SANDBOX_BOT_TOKEN } from '../../src/sandbox/sandbox';
import { SlackEmulator } from '../../src/sandbox/slack-emulator';
import { SteeredTime } from '../../src/sandbox/steered-time';
import { SqliteIncidentStore } from '../../src/store/sqlite/sqlite-store';
import { newEvent, newIncident, T0 } from '../contract/fixtures';
import { startProcess, type BotProcess } from '../support/effect-process';

describe('header updates coalesced by the runner', () => {
  let emulator: SlackEmulator;
  let time: SteeredTime;
  let bot: BotProcess;
  let incident: Incident;
  let channelId: string;
  let releaseHeld = () => undefined as void;

  beforeEach(async () => {
    time = new SteeredTime(T0);
    emulator = await SlackEmulator.start({ botToken: SANDBOX_BOT_TOKEN, clock: time });
    channelId = emulator.createChannel({ name: 'inc-checkout', members: [emulator.identity.botUserId] }).id;
    bot = startProcess(SqliteIncidentStore.open(':memory:'), emulator, time, []);
    const declared = newIncident({ severity: 'sev3', chat: { channelId, channelName: 'inc-checkout' }, declaredAt: time.now() });
    ({ incident } = await bot.store.declareIncident(declared, [newEvent()], [{ kind: 'header.post' }]));
    bot.runner.kick(incident.id);
    await bot.runner.idle();
  });

  afterEach(async () => {
    releaseHeld();
    await bot.runner.stop();
    await bot.store.close();
    await emulator.stop();
  });

  const updates = () => emulator.callsTo('chat.update');
  const header = async () => {
    const { chat } = (await bot.store.getIncident(incident.id))!;
    return JSON.stringify(emulator.messages(channelId).find((m) => m.ts === chat?.headerTs)?.blocks);
  };
  const setSeverity = (severity: 'sev1' | 'sev2', at: number) =>
    bot.store.applyChange({ incidentId: incident.id, patch: { severity }, effects: [{ kind: 'header.update' }], now: at });

  it('when three changes queue header updates before the runner gets to them, then one is stored and one update renders the last state', async () => {
    await setSeverity('sev2', time.now());
    await setSeverity('sev1', time.now());
    await bot.store.applyChange({ incidentId: incident.id, effects: [{ kind: 'header.update' }], now: time.now() });
    expect(await bot.store.outbox.pending(incident.id)).toHaveLength(1);

    bot.runner.kick(incident.id);
    await bot.runner.idle();
    expect(updates()).toHaveLength(1);
    expect(await header()).toMatch(/Severity\*\\n[^"]*sev1/);
    expect(await bot.store.outbox.pending(incident.id)).toEqual([]);
  });

  it('when a change is stored while a header update runs, then its own update runs after it, a second later', async () => {
    await setSeverity('sev2', time.now());
    releaseHeld = emulator.holdAnswer('chat.update');
    const reached = new Promise<void>((resolve) => emulator.onCall((call) => call.method === 'chat.update' && resolve()));
    bot.runner.kick(incident.id);
    await reached;
    await setSeverity('sev1', time.now()); // the running update may have rendered sev2 already
    releaseHeld();
    await bot.runner.idle();
    expect(updates()).toHaveLength(1);
    expect(await bot.store.outbox.pending(incident.id)).toHaveLength(1);

    await time.pass(1_000, () => bot.runner.idle()); // the header's pace: one edit a second
    expect(updates()).toHaveLength(2);
    expect(await header()).toMatch(/Severity\*\\n[^"]*sev1/);
    expect(await bot.store.outbox.pending(incident.id)).toEqual([]);
  });
});
