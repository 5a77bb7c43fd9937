// The logs of a whole incident, over signed HTTP and over Socket Mode: one JSON object per line;
// every line written while handling a request carries its request id, and the incident's id once
// the request found it; background work is marked as such and never borrows a request's ids; and
// nothing people typed (title, notes, messages, pins, findings, summaries) appears at info level
// or above. Everything typed carries a distinctive word so a leak cannot hide.

import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

import { SANDBOX_SIGNING_SECRET } from '../../src/sandbox/sandbox';
import { signSlackRequest } from '../../src/sandbox/slack-actor';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const TYPED = {
  title: 'QzTitleWord',
  otherTitle: 'QzOtherTitleWord',
  note: 'QzNoteWord',
  otherNote: 'QzOtherNoteWord',
  laterNote: 'QzLaterNoteWord',
  message: 'QzMessageWord',
  thread: 'QzThreadWord',
  pinned: 'QzPinnedWord',
  edit: 'QzEditWord',
  impact: 'QzImpactWord',
  cause: 'QzCauseWord',
  action: 'QzActionWord',
  status: 'QzStatusWord',
  policy: 'QzPolicyWord',
  resolve: 'QzResolveWord',
  close: 'QzCloseWord',
  broken: 'QzBrokenWord',
};

interface Line {
  level: string;
  msg: string;
  time: string;
  requestId?: string;
  retryNum?: number;
  incidentId?: string;
  job?: string;
  component?: string;
  effectId?: number;
  triggerId?: string;
}

/** A request the scenario sent, and the incident it is about. */
interface Sent {
  label: string;
  response: { envelopeId?: string; eventId?: string; triggerId?: string };
  incidentId: () => string;
}

/**
 * Like the sandbox's settle(), but it never kicks the effect runner itself: effects run only from
 * the bot's own wake-ups and poller, so their log lines are the ones a real run writes.
 */
async function quiesce(f: Fixture): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await nextTurn();
    await f.bot.effects.idle();
    if ((await f.store.outbox.dueIncidents(f.clock.now())).length === 0) return;
    await sleep(25);
  }
  throw new Error('effects still due after 20 s');
}

function parse(raw: string): Line {
  return JSON.parse(raw) as Line;
}

/** Slack's id for events (HTTP) and envelopes (Socket Mode); commands over HTTP get one of ours, found by trigger id. */
function requestIdOf(lines: Line[], response: Sent['response']): string {
  if (response.envelopeId) return response.envelopeId;
  if (response.eventId) return response.eventId;
  const summary = lines.find((l) => l.msg === 'slack request' && l.triggerId === response.triggerId);
  if (!summary?.requestId) throw new Error(`no request line for trigger ${response.triggerId}`);
  return summary.requestId;
}

async function runIncident(f: Fixture): Promise<{ sent: Sent[]; retriedId: string; ids: { a: string; b: string } }> {
  const sent: Sent[] = [];
  const ids = { a: '', b: '' };
  const aboutA = () => ids.a;
  const aboutB = () => ids.b;
  const record = <T extends Sent['response']>(label: string, incidentId: () => string, response: T): T => {
    sent.push({ label, response, incidentId });
    return response;
  };

  const declared = record('declare A', aboutA, await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, `start ${TYPED.title} checkout errors sev2`));
  expect(ackText(declared)).toContain('Declared *INC-1*');
  await quiesce(f);
  const [incidentA] = await f.store.listOpenIncidents(f.emulator.identity.teamId);
  ids.a = incidentA.id;
  const channel = incidentA.chat!.channelId;
  f.emulator.joinChannel(channel, PEOPLE.bob.id);

  expect(ackText(record('note', aboutA, await f.actor.slashCommand(PEOPLE.bob.id, channel, `note ${TYPED.note} 5xx on /pay since the deploy`)))).toContain('noted at');
  const message = await f.actor.say(PEOPLE.bob.id, channel, `${TYPED.message} rolling back build 142`);
  record('message', aboutA, message.delivery);
  record('thread reply', aboutA, (await f.actor.say(PEOPLE.ann.id, channel, `${TYPED.thread} rollback started`, { threadTs: message.ts })).delivery);
  record('pushpin', aboutA, await f.actor.react(PEOPLE.ann.id, channel, message.ts, 'pushpin'));
  // Slack delivering the message again (its retry carries the same event_id over HTTP).
  const retried = record(
    'retried message',
    aboutA,
    await f.actor.deliverEvent(message.delivery.event, { eventId: message.delivery.eventId, retryNum: 1, retryReason: 'http_timeout' }),
  );
  const pinned = await f.actor.say(PEOPLE.ann.id, channel, `${TYPED.pinned} CPU graph of db-1`);
  record('pinned message', aboutA, pinned.delivery);
  record('pin', aboutA, await f.actor.pin(PEOPLE.ann.id, channel, pinned.ts));
  record('edit of a pushpinned message', aboutA, await f.actor.edit(PEOPLE.bob.id, channel, message.ts, `${TYPED.edit} rolling back build 142 (done)`));
  for (const [label, text] of [
    ['impact', `impact ${TYPED.impact} 75% of users saw slow pages`],
    ['cause', `cause ${TYPED.cause} provider network failure`],
    ['action', `action ${TYPED.action} test failover monthly <@${PEOPLE.bob.id}|bob>`],
  ]) {
    expect(record(label, aboutA, await f.actor.slashCommand(PEOPLE.ann.id, channel, text)).status).toBe(200);
  }
  // Refused with an answer that quotes what was typed.
  expect(ackText(record('refused escalation', aboutA, await f.actor.slashCommand(PEOPLE.ann.id, channel, `escalate ${TYPED.policy}`)))).toContain(TYPED.policy.toLowerCase());

  // Two requests about two incidents in flight at once.
  const [declaredB, status] = await Promise.all([
    f.actor.slashCommand(PEOPLE.cid.id, f.generalId, `start ${TYPED.otherTitle} search is down sev3`),
    f.actor.slashCommand(PEOPLE.ann.id, channel, `status monitoring ${TYPED.status}`),
  ]);
  record('declare B', aboutB, declaredB);
  record('status', aboutA, status);
  await quiesce(f);
  const incidentB = (await f.store.listOpenIncidents(f.emulator.identity.teamId)).find((i) => i.id !== ids.a)!;
  ids.b = incidentB.id;
  const [noteA, noteB] = await Promise.all([
    f.actor.slashCommand(PEOPLE.bob.id, channel, `note ${TYPED.laterNote} error rate at baseline`),
    f.actor.slashCommand(PEOPLE.cid.id, incidentB.chat!.channelId, `note ${TYPED.otherNote} index rebuilt`),
  ]);
  record('later note', aboutA, noteA);
  record('note in B', aboutB, noteB);
  expect(ackText(record('resolve', aboutA, await f.actor.slashCommand(PEOPLE.ann.id, channel, `resolve ${TYPED.resolve} rolled back`)))).toContain('resolved INC-1');
  expect(ackText(record('close', aboutA, await f.actor.slashCommand(PEOPLE.ann.id, channel, `close ${TYPED.close} we learned a lot`)))).toContain('closed INC-1');
  await quiesce(f);
  expect((await f.store.latestPostmortem(ids.a))?.markdown).toContain(TYPED.cause);
  return { sent, retriedId: retried.envelopeId ?? retried.eventId, ids };
}

/** The checks both transports must pass, on the lines written from the first request to the last effect. */
function checkLogs(raw: string[], window: Line[], run: Awaited<ReturnType<typeof runIncident>>): void {
  // One JSON object per line.
  for (const line of raw) {
    expect(line.endsWith('\n') && line.indexOf('\n') === line.length - 1).toBe(true);
    expect(parse(line)).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }));
  }

  // (a) Nothing typed at info or above (case-insensitive: the channel name is the title, lowercased).
  const loud = raw.filter((line) => parse(line).level !== 'debug').map((line) => line.toLowerCase());
  expect(loud.some((line) => line.includes('"msg":"request refused"'))).toBe(true); // the check has lines to look at
  for (const word of Object.values(TYPED)) {
    expect(loud.filter((line) => line.includes(word.toLowerCase()))).toEqual([]);
  }

  // (b) Every line of ours is a request's or a background job's, never both. Slack's SDK (Bolt and
  // its Web API and Socket Mode clients, components 'bolt' and 'socket-mode') logs through one
  // shared logger that cannot know the request; its lines are debug chatter, and at info or above
  // they name no incident content (checked in (a)).
  const ours = window.filter((l) => l.component !== 'bolt' && l.component !== 'socket-mode');
  const unclaimed = ours.filter((l) => !l.requestId && !l.job);
  expect(unclaimed).toEqual([]);
  expect(window.filter((l) => l.requestId && l.job)).toEqual([]);
  // At least the request's debug line and its one info line ('slack request handled').
  expect(window.filter((l) => l.requestId).length).toBeGreaterThanOrEqual(2 * run.sent.length);

  // (c) Each request's lines carry its incident from the moment it was found to the last line, and
  // never another incident, also when requests about two incidents overlapped.
  for (const request of run.sent) {
    const id = requestIdOf(window, request.response);
    const lines = window.filter((l) => l.requestId === id);
    const first = lines.findIndex((l) => l.incidentId);
    expect({ request: request.label, found: first >= 0 }).toEqual({ request: request.label, found: true });
    expect({ request: request.label, incidents: [...new Set(lines.slice(first).map((l) => l.incidentId))] }).toEqual({
      request: request.label,
      incidents: [request.incidentId()],
    });
  }
  expect(window.some((l) => l.requestId === run.retriedId && l.retryNum === 1)).toBe(true);
  // Effects run as background work and name the incident they work for.
  const effects = window.filter((l) => l.effectId !== undefined);
  expect(effects.length).toBeGreaterThan(10);
  for (const line of effects) {
    expect(line.job).toBe('effects');
    expect([run.ids.a, run.ids.b]).toContain(line.incidentId);
  }
}

describe('logs of a whole incident', () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.stop();
    f = undefined;
  });

  it('when an incident runs over signed HTTP, then lines carry request and incident ids and nothing typed shows at info or above', async () => {
    f = await startFixture();
    const start = f.logs.length;
    const run = await runIncident(f);
    // A body that cannot be parsed: Node's parser quotes it in its error, which is kept for debug.
    const broken = `payload=${encodeURIComponent(`{"t":${TYPED.broken}}`)}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const refused = await f.actor.rawRequest(broken, {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': signSlackRequest(SANDBOX_SIGNING_SECRET, timestamp, broken),
    });
    expect(refused.status).toBe(400);
    const window = f.logs.slice(start).map(parse);
    checkLogs(f.logs, window, run);
    const malformed = f.logs.slice(start).filter((line) => line.includes('malformed body'));
    // Said at warn without the content; the parser's words (which quote it) only at debug.
    expect(malformed.map((line) => parse(line).level)).toEqual(['warn', 'debug']);
    expect(malformed[0]).not.toContain(TYPED.broken);
    expect(malformed[1]).toContain(TYPED.broken);
    // What the bot posts is in the Web API client's debug lines (the header quotes the title).
    expect(f.logs.filter((line) => parse(line).level === 'debug').join('')).toContain(TYPED.title);
  }, 90_000);

  it('when an incident runs over Socket Mode, then lines carry envelope and incident ids and nothing typed shows at info or above', async () => {
    f = await startFixture({ transport: 'socket' });
    const start = f.logs.length;
    const run = await runIncident(f);
    const window = f.logs.slice(start).map(parse);
    checkLogs(f.logs, window, run);
    // The envelope as read from the socket is logged at debug, with everything typed in it.
    const debug = f.logs.filter((line) => parse(line).level === 'debug').join('');
    for (const word of [TYPED.title, TYPED.message, TYPED.pinned, TYPED.close]) expect(debug).toContain(word);
  }, 90_000);
});
