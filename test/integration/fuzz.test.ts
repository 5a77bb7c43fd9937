// Fuzz through the real app (Bolt, our receivers, the SQLite store) over both transports: signed
// HTTP, and a real WebSocket from the emulated Slack in Socket Mode. Hostile slash-command texts and
// hostile message events over both; malformed frames over Socket Mode (HTTP's malformed bodies are
// in security.test.ts). It must keep working, answer every command clearly in its ack (what Slack
// shows the person), ping nobody the input did not really mention, and lose nothing it
// acknowledged. Random cases come from a seed: FUZZ_SEED=<n> replays a run.

import { SlackActor, type SlackEvent } from '../../src/sandbox/slack-actor';
import { commandForm } from '../../src/sandbox/slack-actor/interactive';
import { socketPayload } from '../../src/sandbox/slack-actor/socket-transport';
import { HOSTILE_PIECES, SMUGGLE_PIECES, SMUGGLED_USER_ID, mentionedIds, pick, pingsIn, prng, renderedText } from '../support/hostile-text';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const SEED = Number(process.env.FUZZ_SEED ?? 20260303);
const RANDOM_COMMANDS = 80;
const RANDOM_MESSAGES = 30;
const ANN = PEOPLE.ann.id;
const BOB = PEOPLE.bob.id;

/** Subcommands that keep the incident open (close/resolve would end the run's target early). */
const WORDS = ['note', 'impact', 'cause', 'action', 'status', 'severity', 'lead', 'role', 'help', 'timeline', 'list', 'escalations', 'escalate', 'ack', 'start', 'NOTE', 'nope'];

/** Texts every run sends, whatever the seed: the cases issue #7 names. */
const NAMED_TEXTS = [
  '',
  '   ',
  '\t\n \r\n',
  `note ${'x'.repeat(100_000)}`,
  `note ${'😀👩‍💻'.repeat(20_000)}`,
  'x'.repeat(2999),
  '<!channel>',
  '<!here> please',
  '&lt;!channel&gt;',
  `&lt;@${SMUGGLED_USER_ID}&gt;`,
  'note <!channel> everyone look',
  'note <!here|here> and <!everyone>',
  'note &lt;!channel&gt; typed literally',
  `note &lt;@${SMUGGLED_USER_ID}&gt; did it`,
  `note <\u200B@${SMUGGLED_USER_ID}> and <@\u0000${SMUGGLED_USER_ID}>`,
  'note <@U123> spoofed, <@U123|ann> with a fake label',
  'note *bold* _it_ ~strike~ `code` ```block``` > quote\n# heading\n- list',
  'note [click](javascript:alert(1)) <https://evil.example|https://status.example.com> <mailto:x@y.z|support>',
  'note \u202Eevil\u202C \u200F RTL mark \u200E and مرحبا שלום',
  'note \u0000\u0007\u001B[31mred\u001B[0m \uFEFF\u2028\u2029 controls',
  'note 😀 👩‍💻 🏳️‍🌈 emoji',
  'note 13:15',
  'note 99:99 impossible time',
  'note 1000000000m ago',
  'impact <!channel> everyone affected',
  `cause &lt;@${SMUGGLED_USER_ID}|ann&gt; pushed it`,
  `action fix it &lt;@${SMUGGLED_USER_ID}&gt;`,
  'action fix it <@U123>',
  'status monitoring <!here> watching',
  'status <!channel>',
  'severity <!channel>',
  'severity sev0',
  `lead &lt;@${SMUGGLED_USER_ID}&gt;`,
  'lead <!channel>',
  'lead <@U123|ghost>',
  `role <!here> &lt;@${SMUGGLED_USER_ID}&gt;`,
  'role scribe <@U123>',
  'help <!channel>',
  'help &lt;!here&gt;',
  `escalate &lt;@${SMUGGLED_USER_ID}&gt; <!channel>`,
  'escalate <!subteam^S0PAGED|@everyone> now',
  // A real target with a broadcast in the reason: the "Paging …" line used to ping (issue #17).
  `escalate <@${BOB}|bob> <!channel> wake up`,
  `escalate <@${BOB}> <!here|here> <!subteam^S0ALL|@everyone-eu> now`,
  `role <!here> <@${BOB}|bob>`,
  `role <!subteam^S0ALL|@all> <@${BOB}>`,
  'start <!channel> checkout down sev1',
  `start &lt;@${SMUGGLED_USER_ID}&gt; \u202Eevil`,
  'start 😀'.repeat(100),
  'NoTe MiXeD case',
];

/**
 * Web API methods whose text everyone in the conversation sees. Ephemerals and modals are left out:
 * only the person who typed sees them, so a mention there notifies nobody.
 */
const SHOWN_TO_OTHERS = new Set(['chat.postMessage', 'chat.update', 'chat.scheduleMessage', 'chat.meMessage', 'conversations.setTopic', 'conversations.setPurpose']);

/** Any Unicode scalar value (Slack sends valid UTF-8: no lone surrogates). */
function randomCodePoint(random: () => number): string {
  const code = Math.floor(random() * 0x10ffff);
  return code >= 0xd800 && code <= 0xdfff ? '\uFFFD' : String.fromCodePoint(code);
}

function hostileText(random: () => number): string {
  let text = '';
  for (let i = Math.floor(random() * 16); i > 0; i--) {
    const roll = random();
    text += roll < 0.6 ? pick(random, HOSTILE_PIECES) : roll < 0.9 ? pick(random, SMUGGLE_PIECES) : randomCodePoint(random);
  }
  return text;
}

function hostileCommand(random: () => number): string {
  const roll = random();
  if (roll < 0.03) return `${pick(random, WORDS)} ${hostileText(random).repeat(2000)}`; // huge
  if (roll < 0.1) return hostileText(random); // no subcommand at all
  return `${pick(random, WORDS)}${pick(random, [' ', '  ', '\t', '\n', ''])}${hostileText(random)}`;
}

function shorten(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…(${text.length} chars)` : text);
}

interface Answered {
  text: string;
  answer: string;
  triggerId: string;
}

/** One Socket Mode sandbox, with what a person sent and the problems found, reported together at the end. */
class Run {
  readonly problems: string[] = [];
  /** Everything sent as a person, to tell a real mention (which may be echoed) from a smuggled one. */
  readonly inputs: string[] = [];

  constructor(readonly f: Fixture) {}

  /** Sends a command as a person; a problem unless Slack got an ack with a clear answer. */
  async command(userId: string, channelId: string, text: string): Promise<Answered> {
    this.inputs.push(text);
    const response = await this.f.actor.slashCommand(userId, channelId, text);
    const answer = ackText(response);
    if (response.status !== 200) this.problems.push(`${shorten(text)}: no ack (${response.status})`);
    // `start` without a title answers with a form instead of text.
    const formOpened = this.f.emulator.callsTo('views.open').some((call) => call.args.trigger_id === response.triggerId);
    if (!answer.trim() && !formOpened) this.problems.push(`${shorten(text)}: empty answer`);
    if (/undefined|NaN|\[object Object\]|Something went wrong/.test(answer)) this.problems.push(`${shorten(text)}: unclear answer ${shorten(answer)}`);
    return { text, answer, triggerId: response.triggerId };
  }

  /** A plain command still gets its usual answer: the app is alive and connected. */
  async probe(after: string): Promise<void> {
    await this.f.emulator.socketMode.waitForConnection();
    const response = await this.f.actor.slashCommand(ANN, this.f.generalId, 'help');
    if (!ackText(response).includes('*Incident commands*')) this.problems.push(`after ${after}: help got ${response.status} ${shorten(response.body)}`);
  }

  /** Bot output everyone in a conversation sees: in-channel acks and responses, posts, topics. */
  shownToOthers(): { where: string; text: string }[] {
    const inChannel = (payload: Record<string, unknown> | undefined) => payload?.response_type === 'in_channel';
    return [
      ...this.f.emulator.socketMode.acks.filter((a) => inChannel(a.payload)).flatMap((a) => renderedText(a.payload).map((text) => ({ where: 'command ack', text }))),
      ...this.f.emulator
        .responses()
        .filter((r) => inChannel(r.body))
        .flatMap((r) => renderedText(r.body).map((text) => ({ where: 'response_url', text }))),
      ...this.f.emulator.calls.filter((call) => SHOWN_TO_OTHERS.has(call.method)).flatMap((call) => renderedText(call.args).map((text) => ({ where: call.method, text }))),
    ];
  }

  checkNoPings(): void {
    const allowed = new Set([...Object.values(PEOPLE).map((p) => p.id), this.f.emulator.identity.botUserId, ...this.inputs.flatMap(mentionedIds)]);
    for (const { where, text } of this.shownToOthers()) {
      const pings = pingsIn(text, allowed);
      if (pings.length) this.problems.push(`${where} pings ${pings.join(', ')}: ${shorten(text)}`);
    }
  }
}

/** A slash command's envelope payload exactly as Slack would send it, for raw frames. */
function commandPayload(f: Fixture, text: string): Record<string, unknown> {
  const ws = f.emulator.workspace;
  const app = { ws, teamId: ws.identity.teamId, apiAppId: ws.identity.appId, verificationToken: 'emulated-verification-token' };
  const body = commandForm(app, {
    user: ws.directory.user(ANN)!,
    channelId: f.generalId,
    channelName: 'general',
    command: '/incident',
    text,
    responseUrl: f.emulator.issueResponseUrl({ channel: f.generalId, user: ANN }).url,
    triggerId: f.emulator.issueTriggerId(ANN),
  });
  return socketPayload({ kind: 'slash_commands', body, contentType: 'application/x-www-form-urlencoded' });
}

/** Hostile commands, some with hostile messages and :pushpin:s between them, then the checks. */
async function hostileCommandsAndMessages(f: Fixture, run: Run, transport: string): Promise<void> {
  const random = prng(SEED);
  const { channelId } = await f.declare(`Fuzzed over ${transport}`);
  f.emulator.joinChannel(channelId, BOB);
  const notes: Answered[] = [];
  const messages: { ts: string; text: string }[] = [];

  const texts = [...NAMED_TEXTS, ...Array.from({ length: RANDOM_COMMANDS }, () => hostileCommand(random))];
  for (const [i, text] of texts.entries()) {
    // Mostly in the incident channel; now and then where there is no incident.
    const where = random() < 0.85 ? channelId : f.generalId;
    const answered = await run.command(i % 3 === 0 ? BOB : ANN, where, text);
    if (where === channelId && /^note\s/i.test(text.trim()) && answered.answer.includes('noted at')) notes.push(answered);

    if (i < RANDOM_MESSAGES) {
      const said = pick(random, [hostileText(random), `${hostileText(random)} <!channel> ${hostileText(random)}`, 'y'.repeat(39_000)]);
      run.inputs.push(said);
      const { ts, delivery } = await f.actor.say(pick(random, [ANN, BOB]), channelId, said);
      if (delivery.status !== 200) run.problems.push(`message ${shorten(said)}: no ack (${delivery.status})`);
      else messages.push({ ts, text: said });
      // A highlighted message is echoed by the bot into the timeline and the header.
      if (random() < 0.3) await f.actor.react(ANN, channelId, ts, 'pushpin');
    }
  }
  await f.settle();

  // Still working afterwards: a plain note is answered and stored.
  const after = await run.command(ANN, channelId, 'note after the storm, all quiet');
  expect(after.answer).toContain('noted at');
  notes.push(after);

  // Nothing acknowledged is lost: every note answered "noted" and every acked message is stored.
  const incident = (await f.store.findIncidentByChannel(channelId))!;
  const timeline = await f.store.listTimeline(incident.id);
  for (const note of notes) {
    if (!timeline.some((e) => e.kind === 'note' && e.sourceId === `cmd:${note.triggerId}`)) run.problems.push(`note acknowledged but not stored: ${shorten(note.text)}`);
  }
  for (const message of messages) {
    const stored = await f.store.getTranscriptMessage(channelId, message.ts);
    if (stored?.text !== message.text) run.problems.push(`message ${message.ts} acknowledged but not stored as sent: ${shorten(message.text)}`);
  }
  run.checkNoPings();
  expect({ seed: SEED, problems: run.problems }).toEqual({ seed: SEED, problems: [] });
  expect(notes.length).toBeGreaterThan(10); // the run really exercised the store
}

describe('Socket Mode under hostile input', () => {
  let f: Fixture;
  let run: Run;

  beforeEach(async () => {
    f = await startFixture({ transport: 'socket' });
    run = new Run(f);
  });
  afterEach(async () => {
    await f.stop();
  });

  it(`answers every hostile command clearly, stores what it acknowledged and pings nobody (seed ${SEED})`, () => hostileCommandsAndMessages(f, run, 'Socket Mode'), 60_000);

  it('when message events come with missing or wrongly typed fields, then each is acknowledged (no redelivery), dropped, and the app keeps working', async () => {
    const { channelId } = await f.declare('Odd events');
    const { ts } = await f.actor.say(ANN, channelId, 'a real message');
    // Short waits: an event the app failed on would not be acked, and Slack's 3 s would only slow this down.
    const impatient = new SlackActor({ transport: 'socket', emulator: f.emulator, ackTimeoutMs: 500 });
    const odd: SlackEvent[] = [
      { type: 'message', channel: channelId, user: ANN, ts: '1700000000.000100', text: 42 },
      { type: 'message', channel: channelId, user: { id: ANN }, ts: '1700000000.000200', text: 'user is an object' },
      { type: 'message', channel: 12345, user: ANN, ts: '1700000000.000300', text: 'channel is a number' },
      { type: 'message', channel: channelId, user: ANN, ts: 'not-a-ts', text: 'ts is not a timestamp' },
      { type: 'message', channel: channelId, user: ANN, text: 'no ts at all' },
      { type: 'message', subtype: 'message_changed', channel: channelId },
      { type: 'message', subtype: 'message_changed', channel: channelId, message: { ts, text: '<!channel> edited in' } },
      { type: 'message', subtype: 'message_deleted', channel: channelId, deleted_ts: { ts } },
      { type: 'message', subtype: 'bot_message', bot_id: 'B0OTHER', channel: channelId, ts: '1700000000.000400', text: '<!channel> from another bot' },
      { type: 'message', subtype: 'no_such_subtype', channel: channelId, ts: '1700000000.000500' },
      { type: 'reaction_added', user: ANN, reaction: 'pushpin' },
      { type: 'reaction_added', user: ANN, reaction: 'pushpin', item: { type: 'message', channel: channelId, ts: '1.1' } },
      { type: 'reaction_added', user: ANN, reaction: 'pushpin', item: 'not an object' },
      { type: 'pin_added', channel_id: channelId, item: null },
      { type: 'app_mention', user: ANN, channel: channelId, text: '<!here> <@U0SMUGGLE>' },
      { type: 'no_such_event' },
      { type: '' },
    ];
    for (const event of odd) {
      run.inputs.push(JSON.stringify(event));
      const delivery = await impatient.deliverEvent(event);
      if (delivery.status !== 200) run.problems.push(`${JSON.stringify(event)}: status ${delivery.status}`);
      await run.probe(JSON.stringify(event));
    }
    // None of the odd messages reached the transcript (the numeric text, the non-timestamps).
    expect(await f.store.getTranscriptMessage(channelId, '1700000000.000100')).toBeUndefined();
    expect(await f.store.getTranscriptMessage(channelId, 'not-a-ts')).toBeUndefined();
    // A well-formed message after all that is acked and stored.
    const { ts: lastTs, delivery } = await f.actor.say(ANN, channelId, 'still listening');
    expect(delivery.status).toBe(200);
    expect((await f.store.getTranscriptMessage(channelId, lastTs))?.text).toBe('still listening');
    await f.settle();
    run.checkNoPings();
    expect(run.problems).toEqual([]);
  }, 60_000);

  it('when frames are malformed, of unknown types or huge, then they are dropped or answered and the app keeps working', async () => {
    let sent = 0;
    const envelope = (fields: Record<string, unknown>) => JSON.stringify({ envelope_id: `raw-${++sent}`, ...fields });
    const frames: (string | Buffer)[] = [
      'not json',
      '{"type":"slash_commands","envelope_id":"cut-off',
      '',
      '5',
      'true',
      '"events_api"',
      '[]',
      '[{"type":"events_api","payload":{}}]',
      '{}',
      '{"type":"slash_commands"}',
      envelope({ type: 'slash_commands' }),
      envelope({ type: 'slash_commands', payload: 'command=%2Fincident&text=start+x' }),
      envelope({ type: 'slash_commands', payload: null }),
      envelope({ type: 'slash_commands', payload: [] }),
      envelope({ type: 'slash_commands', payload: { command: 5, text: { a: 1 }, user_id: null } }),
      envelope({ type: 'interactive', payload: { type: 'nonsense' } }),
      envelope({ type: 'interactive', payload: { type: 'block_actions', actions: 'not a list' } }),
      envelope({ type: 'events_api', payload: { type: 'event_callback', event: { type: 'message', channel: 5, text: [] } } }),
      envelope({ type: 'mystery_type', payload: { event: { type: 'message' } } }),
      JSON.stringify({ type: 42, envelope_id: {}, payload: {} }),
      JSON.stringify({ type: 'hello', num_connections: 'many' }),
      JSON.stringify({ type: 'disconnect', reason: 42 }),
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]),
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      'x'.repeat(8 * 1024 * 1024),
    ];
    for (const frame of frames) {
      const label = shorten(typeof frame === 'string' ? frame : `<binary ${frame.length} bytes>`);
      if (!(await f.emulator.socketMode.sendRaw(frame, { binary: Buffer.isBuffer(frame) }))) run.problems.push(`${label}: no connection to send on`);
      await run.probe(label);
    }

    // Well-formed command envelopes sent raw, one huge and one with wrongly typed envelope fields:
    // each is acked with a clear answer.
    const answered = [
      {
        id: 'raw-huge-command',
        frame: { type: 'slash_commands', payload: commandPayload(f, `note ${'x'.repeat(2 * 1024 * 1024)}`), accepts_response_payload: true },
        expect: 'too long',
      },
      {
        id: 'raw-odd-fields',
        frame: { type: 'slash_commands', payload: { ...commandPayload(f, 'help <!channel>'), extra: { nested: [1, 2] } }, accepts_response_payload: 'yes', retry_attempt: 'x' },
        expect: '*Incident commands*',
      },
    ];
    for (const { id, frame, expect: wanted } of answered) {
      await f.emulator.socketMode.sendRaw(JSON.stringify({ envelope_id: id, ...frame }));
      await run.probe(id);
      const ack = f.emulator.socketMode.acks.find((a) => a.envelopeId === id);
      const text = typeof ack?.payload?.text === 'string' ? ack.payload.text : '';
      if (!text.includes(wanted)) run.problems.push(`${id}: acked with ${shorten(text)}, expected ${JSON.stringify(wanted)}`);
    }

    // Still working, and what it acknowledges is stored.
    const { channelId } = await f.declare('After the garbage');
    expect(ackText(await f.actor.slashCommand(ANN, channelId, 'note back to normal'))).toContain('noted at');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect((await f.store.listTimeline(incident.id)).map((e) => e.text)).toContain('back to normal');
    expect(run.problems).toEqual([]);
  }, 60_000);

  // @slack/socket-mode 3.1's frame handler is async and reads `event.type` and, for events_api,
  // `event.payload.event.type` unguarded: JSON that is not an envelope object (`null`) or an
  // events_api envelope without `payload.event` rejects inside an EventEmitter listener, an
  // unhandled rejection that ends a Node 20 process (jest reports it as this test's failure).
  it('when a frame is JSON null or an events_api envelope without an event, then it is dropped and the process survives', async () => {
    const frames = [
      'null',
      JSON.stringify({ type: 'events_api', envelope_id: 'raw-no-payload' }),
      JSON.stringify({ type: 'events_api', envelope_id: 'raw-empty-payload', payload: {} }),
      JSON.stringify({ type: 'events_api', envelope_id: 'raw-null-event', payload: { type: 'event_callback', event: null } }),
      JSON.stringify({ type: 'events_api', envelope_id: 'raw-string-payload', payload: 'x' }),
    ];
    for (const frame of frames) {
      await f.emulator.socketMode.sendRaw(frame);
      await run.probe(frame);
    }
    expect(run.problems).toEqual([]);
  }, 30_000);

  // A message's fallback `text` is the line Slack notifies with: a title's broadcast must be defused
  // there as in the blocks (the pinned header in the channel, the page in a DM).
  it("when an incident's title carries a broadcast, then neither its header nor a page pings anyone", async () => {
    const { channelId } = await f.declare('<!channel> checkout down sev1');
    const { answer } = await run.command(ANN, channelId, `escalate <@${BOB}> the database is down`);
    expect(answer).toContain('paging');
    await f.settle();
    expect(f.emulator.directMessages(BOB).length).toBeGreaterThan(0);
    const posted = f.emulator.calls.filter((c) => SHOWN_TO_OTHERS.has(c.method)).flatMap((c) => renderedText(c.args));
    expect(posted.filter((text) => pingsIn(text, new Set()).some((ping) => ping.startsWith('<!')))).toEqual([]);
  }, 30_000);
});

describe('HTTP under hostile input', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture();
  });
  afterEach(async () => {
    await f.stop();
  });

  it(`answers every hostile command clearly, stores what it acknowledged and pings nobody (seed ${SEED})`, () => hostileCommandsAndMessages(f, new Run(f), 'HTTP'), 60_000);
});
