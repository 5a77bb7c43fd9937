import { App, LogLevel, type Logger } from '@slack/bolt';
import WebSocket from 'ws';
import { SlackActor } from '../../../src/sandbox/slack-actor';
import { SlackEmulator } from '../../../src/sandbox/slack-emulator';
import { ALICE, BOT_TOKEN, clientFor, slackError } from './emulator-fixture';

const APP_TOKEN = 'xapp-1-A0EMULATED-1111-0123456789abcdef';

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Bolt and the Socket Mode client log dropped sockets as errors; keep them for failure messages, off the console. */
function quietLogger(lines: string[]): Logger {
  const keep = (...msgs: unknown[]) => void lines.push(msgs.map(String).join(' '));
  return { debug: () => {}, info: () => {}, warn: keep, error: keep, setLevel: () => {}, getLevel: () => LogLevel.WARN, setName: () => {} };
}

describe('apps.connections.open and the Socket Mode wire protocol', () => {
  let emulator: SlackEmulator;

  beforeAll(async () => {
    emulator = await SlackEmulator.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN, teamId: 'T0TEST' });
  });
  afterAll(() => emulator.stop());

  it('when called with the app-level token, then it returns a loopback WebSocket URL; other tokens are refused as Slack does', async () => {
    const opened = await clientFor(emulator, APP_TOKEN).apps.connections.open();
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket-mode\/[0-9a-f]{32}$/);
    expect(await slackError(clientFor(emulator, BOT_TOKEN).apps.connections.open())).toBe('not_allowed_token_type');
    expect(await slackError(clientFor(emulator, 'xapp-1-A0OTHER-2222-ffff').apps.connections.open())).toBe('invalid_auth');
    expect(emulator.callsTo('apps.connections.open').map((c) => c.error ?? 'ok')).toEqual(['ok', 'not_allowed_token_type', 'invalid_auth']);

    const withoutAppToken = await SlackEmulator.start({ botToken: BOT_TOKEN });
    expect(await slackError(clientFor(withoutAppToken, APP_TOKEN).apps.connections.open())).toBe('invalid_auth');
    await withoutAppToken.stop();
  });

  it('when a client connects, then it gets hello, then envelopes queued before it came, and its ack settles the delivery', async () => {
    const delivery = emulator.socketMode.deliver('events_api', { type: 'event_callback', event: { type: 'app_mention' } }, { timeoutMs: 5000 });
    const { url } = await clientFor(emulator, APP_TOKEN).apps.connections.open();
    const socket = new WebSocket(url!);
    const frames: Record<string, unknown>[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    await until(() => frames.length === 2, 'hello and the envelope');

    expect(frames[0]).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: expect.any(String), build_number: expect.any(Number), approximate_connection_time: expect.any(Number) },
      connection_info: { app_id: emulator.identity.appId },
    });
    const envelopeId = frames[1].envelope_id as string;
    expect(frames[1]).toEqual({
      envelope_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'events_api',
      payload: { type: 'event_callback', event: { type: 'app_mention' } },
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
    });
    socket.send(JSON.stringify({ envelope_id: envelopeId, payload: {} }));
    expect(await delivery).toEqual({ envelopeId, acked: true, retryAttempt: 0 });
    expect(emulator.socketMode.pending()).toBe(0);

    // A URL is good for one connection.
    const again = new WebSocket(url!);
    again.on('error', () => {});
    const status = await new Promise<number | undefined>((resolve) =>
      again.on('unexpected-response', (req, res) => {
        resolve(res.statusCode);
        req.destroy();
      }),
    );
    expect(status).toBe(401);

    await emulator.socketMode.disconnect('warning');
    expect(frames.at(-1)).toEqual({ type: 'disconnect', reason: 'warning', debug_info: { host: expect.any(String) } });
    expect(emulator.socketMode.connected()).toBe(false);
  });
});

describe('a real Bolt app in Socket Mode, driven through the emulator', () => {
  let emulator: SlackEmulator;
  let app: App;
  let actor: SlackActor;
  let channel: string;
  const logs: string[] = [];
  const commands: { text: string; retryNum?: number; retryReason?: string }[] = [];
  const events: Record<string, unknown>[] = [];
  /** Commands whose text names a gate wait for it on their first attempt, so the ack is late. */
  const gates = new Map<string, Promise<void>>();
  const connectionsOpened = () => emulator.callsTo('apps.connections.open').filter((c) => c.ok).length;

  beforeAll(async () => {
    emulator = await SlackEmulator.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN, teamId: 'T0TEST', socketMode: { ackTimeoutMs: 1500 } });
    emulator.addUser({ id: ALICE, name: 'alice', realName: 'Alice Achieng' });
    channel = emulator.createChannel({ name: 'inc-9-db', members: [emulator.identity.botUserId, ALICE] }).id;
    app = new App({
      token: BOT_TOKEN,
      appToken: APP_TOKEN,
      socketMode: true,
      logger: quietLogger(logs),
      clientOptions: { slackApiUrl: emulator.apiUrl },
    });
    app.command('/incident', async ({ ack, command, context }) => {
      commands.push({ text: command.text, retryNum: context.retryNum, retryReason: context.retryReason });
      const wait = gates.get(command.text);
      if (wait && !context.retryNum) await wait;
      await ack({ response_type: 'ephemeral', text: `Declaring: ${command.text}` });
    });
    app.event('message', async ({ event }) => {
      events.push(event as unknown as Record<string, unknown>);
    });
    app.view('declare', async ({ ack }) => ack({ response_action: 'errors', errors: { title: 'Too short' } }));
    await app.start();
    // Waits generously for acks: the HTTP actor's answers are immediate, envelopes may wait for a reconnect.
    actor = new SlackActor({ transport: 'socket', emulator, teamId: 'T0TEST', ackTimeoutMs: 15_000 });
  });

  afterAll(async () => {
    await app.stop();
    await emulator.stop();
  });

  it('when the app starts, then it opens a connection with its app token and is connected after hello', () => {
    expect(emulator.socketMode.connected()).toBe(true);
    expect(connectionsOpened()).toBe(1);
  });

  it('when a slash command is delivered, then the listener runs and its ack payload comes back as the response', async () => {
    const response = await actor.slashCommand(ALICE, channel, 'declare db failover');
    expect(commands.at(-1)).toEqual({ text: 'declare db failover', retryNum: 0, retryReason: '' });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ response_type: 'ephemeral', text: 'Declaring: declare db failover' });
    expect(JSON.parse(response.body)).toEqual(response.json);
    expect(emulator.socketMode.responses.at(-1)).toEqual({
      envelopeId: response.envelopeId,
      channel,
      user: ALICE,
      command: '/incident',
      body: response.json,
    });
    expect(emulator.socketMode.acks.at(-1)).toMatchObject({ envelopeId: response.envelopeId, type: 'slash_commands', accepted: true });
  });

  it('when a message event is delivered, then Bolt acks the envelope and the listener gets the event', async () => {
    const { ts, delivery } = await actor.say(ALICE, channel, 'Replica lag is 40s');
    expect(delivery.status).toBe(200);
    expect(delivery.json).toEqual({});
    await until(() => events.some((e) => e.ts === ts), 'the message listener');
    expect(events.at(-1)).toMatchObject({ type: 'message', channel, user: ALICE, text: 'Replica lag is 40s' });
  });

  it('when a modal is submitted, then the response_action in the ack comes back as the response', async () => {
    const response = await actor.submitView(ALICE, { id: 'V0DECLARE', callback_id: 'declare', values: {} });
    expect(response.json).toEqual({ response_action: 'errors', errors: { title: 'Too short' } });
    expect(emulator.socketMode.sent.at(-1)).toMatchObject({ envelopeId: response.envelopeId, type: 'interactive' });
  });

  it('when Slack asks for a refresh, then the app reconnects through apps.connections.open and the next delivery works', async () => {
    await emulator.socketMode.disconnect('refresh_requested');
    expect(emulator.socketMode.connected()).toBe(false);
    await emulator.socketMode.waitForConnection();
    expect(connectionsOpened()).toBe(2);
    const response = await actor.slashCommand(ALICE, channel, 'status');
    expect(response.json).toMatchObject({ text: 'Declaring: status' });
  });

  it('when the connection drops while a listener is slow to ack, then the envelope is redelivered after reconnect as retry 1', async () => {
    const slow = gate();
    gates.set('declare slow disk', slow.opened);
    const pending = actor.slashCommand(ALICE, channel, 'declare slow disk');
    await until(() => commands.some((c) => c.text === 'declare slow disk'), 'the first attempt');
    await emulator.socketMode.dropConnection();
    expect(emulator.socketMode.pending()).toBe(1);

    const response = await pending;
    expect(response.status).toBe(200);
    expect(connectionsOpened()).toBe(3);
    expect(commands.filter((c) => c.text === 'declare slow disk')).toEqual([
      { text: 'declare slow disk', retryNum: 0, retryReason: '' },
      { text: 'declare slow disk', retryNum: 1, retryReason: 'disconnected' },
    ]);
    expect(emulator.socketMode.sent.filter((s) => s.envelopeId === response.envelopeId).map((s) => [s.retryAttempt, s.retryReason])).toEqual([
      [0, ''],
      [1, 'disconnected'],
    ]);

    // The first attempt acks at last, on the new connection: Slack has its ack already.
    slow.open();
    const acksOf = () => emulator.socketMode.acks.filter((a) => a.envelopeId === response.envelopeId);
    await until(() => acksOf().length === 2, 'the late ack');
    expect(acksOf().map((a) => a.accepted)).toEqual([true, false]);
  });

  it('when an ack misses the deadline, then the caller sees 504 and the envelope waits for the next connection', async () => {
    const stalled = gate();
    gates.set('declare stalled', stalled.opened);
    const impatient = new SlackActor({ transport: 'socket', emulator, teamId: 'T0TEST', ackTimeoutMs: 2000 });
    const response = await impatient.slashCommand(ALICE, channel, 'declare stalled');
    expect(response.status).toBe(504);
    expect(emulator.socketMode.pending()).toBe(1);
    expect(emulator.socketMode.sent.filter((s) => s.envelopeId === response.envelopeId)).toHaveLength(1);

    await emulator.socketMode.disconnect();
    await until(() => emulator.socketMode.pending() === 0, 'the redelivery to be acked');
    expect(emulator.socketMode.sent.filter((s) => s.envelopeId === response.envelopeId).at(-1)).toMatchObject({ retryAttempt: 1, retryReason: 'timeout' });
    stalled.open();
    await until(() => emulator.socketMode.acks.filter((a) => a.envelopeId === response.envelopeId).length === 2, 'the late ack');
  });

  it('when the app stops, then its connection closes and it does not come back', async () => {
    await app.stop();
    await until(() => !emulator.socketMode.connected(), 'the connection to close');
    const opened = connectionsOpened();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connectionsOpened()).toBe(opened);
    // The dropped connection is the only error the client logged.
    expect(logs.filter((l) => !/WebSocket error/.test(l))).toEqual([]);
  });
});

describe('stopping a Socket Mode app and the emulator back to back', () => {
  it('when the emulator stops right after the app, then the close handshake completes and nothing is logged', async () => {
    const emulator = await SlackEmulator.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    const logs: string[] = [];
    const app = new App({ token: BOT_TOKEN, appToken: APP_TOKEN, socketMode: true, logger: quietLogger(logs), clientOptions: { slackApiUrl: emulator.apiUrl } });
    await app.start();
    // Bolt's stop() does not wait for the close handshake; a cut socket here would leave the
    // client's 30 s close timer running (and log an error), so the emulator closes gracefully.
    await app.stop();
    await emulator.stop();
    // A cut socket shows as an error from the client shortly after.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logs).toEqual([]);
    expect(emulator.socketMode.connected()).toBe(false);
  });
});
