// One incident scenario, two transports: signed HTTP requests and Socket Mode envelopes. Over
// Socket Mode a forced disconnect mid-incident must lose nothing acknowledged and duplicate
// nothing (Slack redelivers unacknowledged envelopes).

import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

async function runScenario(f: Fixture, midway?: () => Promise<void>): Promise<string> {
  const declared = await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'start Checkout errors sev2');
  expect(ackText(declared)).toContain('Declared *INC-1*');
  await f.settle();
  const [incident] = await f.store.listOpenIncidents(f.emulator.identity.teamId);
  const channelId = incident.chat!.channelId;
  f.emulator.joinChannel(channelId, PEOPLE.bob.id);
  expect(ackText(await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'note 5xx on /pay since the deploy'))).toContain('noted at');
  const { ts } = await f.actor.say(PEOPLE.bob.id, channelId, 'rolling back build 142');
  await f.actor.react(PEOPLE.ann.id, channelId, ts, 'pushpin');
  if (midway) await midway();
  expect(ackText(await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'status monitoring rollback done'))).toContain('monitoring');
  await f.actor.say(PEOPLE.ann.id, channelId, 'error rate back to baseline');
  expect(ackText(await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'resolve rolled back build 142'))).toContain('resolved INC-1');
  expect(ackText(await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close'))).toContain('closed INC-1');
  await f.settle();
  return channelId;
}

async function summary(f: Fixture, channelId: string) {
  const incident = (await f.store.findIncidentByChannel(channelId))!;
  const timeline = await f.store.listTimeline(incident.id);
  return {
    status: incident.status,
    kinds: timeline.map((e) => e.kind),
    texts: timeline.map((e) => e.text),
    postmortem: (await f.store.latestPostmortem(incident.id))?.version,
    files: f.emulator.files().length,
    headerPinned: f.emulator.pinnedTs(channelId).includes(incident.chat!.headerTs!),
  };
}

describe('the same incident over HTTP and over Socket Mode', () => {
  let http: Fixture | undefined;
  let socket: Fixture | undefined;

  afterEach(async () => {
    await http?.stop();
    await socket?.stop();
  });

  it('when the scenario runs on both transports, then the end state is the same', async () => {
    http = await startFixture();
    const overHttp = await summary(http, await runScenario(http));
    socket = await startFixture({ transport: 'socket' });
    const overSocket = await summary(socket, await runScenario(socket));
    expect(overSocket).toEqual(overHttp);
    expect(overHttp).toMatchObject({ status: 'closed', postmortem: 1, files: 1, headerPinned: true });
    expect(overHttp.kinds).toEqual(['declared', 'note', 'message', 'status', 'resolved', 'closed']);
  }, 60_000);

  it('when Slack disconnects the bot mid-incident (refresh, then a cut connection), then it reconnects and nothing is lost or duplicated', async () => {
    http = await startFixture();
    const reference = await summary(http, await runScenario(http));
    socket = await startFixture({ transport: 'socket' });
    const s = socket;
    const channelId = await runScenario(s, async () => {
      await s.emulator.socketMode.disconnect('refresh_requested');
      await s.emulator.socketMode.waitForConnection();
      // A message sent while the connection is cut is delivered (again) once the bot is back.
      await s.emulator.socketMode.dropConnection();
      await s.emulator.socketMode.waitForConnection();
    });
    expect(await summary(s, channelId)).toEqual(reference);
    expect(s.emulator.socketMode.pending()).toBe(0);
    expect(s.emulator.callsTo('apps.connections.open').length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

describe('Socket Mode acknowledgements wait for the durable write', () => {
  it('when an event cannot be stored, then its envelope is not acknowledged and Slack redelivers it after the store is back', async () => {
    const { startMongoWireServer } = await import('../support/mongo-wire');
    const { MongoIncidentStore } = await import('../../src/store/mongo');
    const server = await startMongoWireServer();
    const store = await MongoIncidentStore.connect(server.uri, { attempts: 3, retryDelayMs: 100, serverSelectionTimeoutMS: 800 });
    const f = await startFixture({ transport: 'socket', store });
    try {
      const { channelId } = await f.declare('Checkout errors');
      server.setUnavailable(true);
      const lost = await f.actor.say(PEOPLE.ann.id, channelId, 'written while the database was down');
      expect(lost.delivery.status).toBe(504); // no ack: the listener failed to store it
      server.setUnavailable(false);
      // Slack redelivers unacknowledged envelopes on the next connection.
      await f.emulator.socketMode.disconnect('refresh_requested');
      await f.emulator.socketMode.waitForConnection();
      for (let i = 0; i < 40 && f.emulator.socketMode.pending() > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(f.emulator.socketMode.pending()).toBe(0);
      expect((await f.store.getTranscriptMessage(channelId, lost.ts))?.text).toBe('written while the database was down');
    } finally {
      await f.stop();
      await server.stop();
    }
  }, 60_000);
});
