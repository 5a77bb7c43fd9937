// Crash recovery with the real process: the bot (`node <build>/index.js`) is killed with SIGKILL at
// random points of a scripted incident and restarted on the same SQLite file; the end state must
// be that of a run without kills: one channel, the same timeline, one header showing the final
// state, the same postmortem stored and posted, nothing abandoned, no bot message posted twice.
//
// Where kills land (seeded; CRASH_SEED=<n> replays a run): either at the moment the emulated Slack
// has carried out the n-th Web API call after a step was sent, before the answer goes out (the bot
// never learns that Slack did it), or 0–200 ms after a step was sent (inside the request, between
// storing and answering, or among the effects that follow). Several kills may hit one step, the
// later ones the restarted process while it recovers.
//
// A request that got no answer is sent again, as a retried delivery: events with the same event_id
// (and X-Slack-Retry-Num, as Slack retries them), slash commands with the same trigger_id. Slack does
// not retry slash commands; a person typing the command again makes a new trigger_id, which the
// bot cannot tell from a deliberate second note, so that case is not simulated.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET } from '../../src/sandbox/sandbox';
import type { AppResponse, SlackActor, SlackEvent } from '../../src/sandbox/slack-actor';
import { messageEvent, newEventId, reactionEvent, richTextBlocks } from '../../src/sandbox/slack-actor/events';
import { commandForm } from '../../src/sandbox/slack-actor/interactive';
import { slackRequestHeaders } from '../../src/sandbox/slack-actor/signing';
import { SlackEmulator, type ApiCall, type EmulatedMessage } from '../../src/sandbox/slack-emulator';
import { JiraEmulator, type TrackerCall } from '../../src/sandbox/tracker-emulator';
import { SqliteIncidentStore } from '../../src/store/sqlite/sqlite-store';
import { buildEntry, SupervisedBot } from '../support/child-bot';
import { PEOPLE } from '../support/sandbox-fixture';

const TIME_ZONE = 'Africa/Nairobi';
const SEED = Number(process.env.CRASH_SEED ?? 20260303);
const KILLS = 20;
/** A call-triggered kill that finds no such call within this time kills the idle process instead. */
const CALL_KILL_TIMEOUT_MS = 1_500;
const ANN = PEOPLE.ann.id;
const BOB = PEOPLE.bob.id;

type Step = { kind: 'command'; user: string; where: 'general' | 'incident'; text: string } | { kind: 'say'; user: string; text: string } | { kind: 'pushpin'; user: string };

const SCRIPT: Step[] = [
  { kind: 'command', user: ANN, where: 'general', text: 'start Checkout is slow sev2' },
  { kind: 'command', user: ANN, where: 'incident', text: 'note customers report slow checkout pages' },
  { kind: 'command', user: BOB, where: 'incident', text: 'note 10m ago the first latency alert fired' },
  { kind: 'say', user: BOB, text: 'p99 latency is 8s on checkout' },
  { kind: 'pushpin', user: ANN },
  { kind: 'command', user: ANN, where: 'incident', text: 'status identified a bad config push' },
  { kind: 'command', user: ANN, where: 'incident', text: 'severity sev1' },
  { kind: 'command', user: ANN, where: 'incident', text: `action add a canary for config pushes <@${BOB}|bob>` },
  { kind: 'command', user: ANN, where: 'incident', text: 'resolve rolled back the config' },
  { kind: 'command', user: ANN, where: 'incident', text: 'close Thanks all' },
];

type Kill = { step: number } & ({ mode: 'call'; select: (call: ApiCall, index: number) => boolean } | { mode: 'delay'; ms: number });

/** mulberry32: a small seeded PRNG, so a failing placement can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function killPlan(seed: number, count: number, steps: number): Kill[] {
  const random = seeded(seed);
  const plan = Array.from({ length: count }, (): Kill => {
    const step = Math.floor(random() * steps);
    const nth = Math.floor(random() * 4);
    return random() < 0.5 ? { step, mode: 'call', select: (_call, index) => index === nth } : { step, mode: 'delay', ms: Math.floor(random() * 201) };
  });
  return plan.sort((a, b) => a.step - b.step);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Run {
  emulator: SlackEmulator;
  bot: SupervisedBot;
  /** The test's own connection to the file the bot processes write (WAL: readers do not block them). */
  store: SqliteIncidentStore;
  generalId: string;
  dir: string;
  channelId?: string;
  said?: EmulatedMessage;
}

async function startRun(entry: string, env: Record<string, string> = {}): Promise<Run> {
  const emulator = await SlackEmulator.start({ botToken: SANDBOX_BOT_TOKEN, teamId: 'T0CRASH' });
  for (const person of Object.values(PEOPLE)) emulator.addUser(person);
  const general = emulator.createChannel({ name: 'general', members: Object.values(PEOPLE).map((p) => p.id) });
  const dir = mkdtempSync(join(tmpdir(), 'crash-recovery-'));
  const sqlitePath = join(dir, 'incidents.db');
  const bot = await SupervisedBot.start({ entry, emulator, sqlitePath, cwd: dir, timeZone: TIME_ZONE, env });
  return { emulator, bot, store: SqliteIncidentStore.open(sqlitePath), generalId: general.id, dir };
}

async function stopRun(run: Run): Promise<void> {
  await run.bot.stop();
  await run.store.close();
  await run.emulator.stop();
  rmSync(run.dir, { recursive: true, force: true });
}

/** The incident channel, once the bot has created and stored it; people join it to speak there. */
async function incidentChannel(run: Run, userId: string): Promise<string> {
  run.channelId ??= await waitFor('the incident channel', async () => (await run.store.listOpenIncidents('T0CRASH'))[0]?.chat?.channelId);
  if (!run.emulator.channel(run.channelId)?.members.includes(userId)) run.emulator.joinChannel(run.channelId, userId);
  return run.channelId;
}

type Send = (actor: SlackActor, attempt: number) => Promise<AppResponse>;

/** What the person does happens once; the request that tells the bot can be sent again. */
async function prepare(run: Run, step: Step): Promise<Send> {
  const ws = run.emulator.workspace;
  const channelId = step.kind === 'command' && step.where === 'general' ? run.generalId : await incidentChannel(run, step.user);
  if (step.kind === 'command') {
    const app = { ws, teamId: ws.identity.teamId, apiAppId: ws.identity.appId, verificationToken: 'emulated-verification-token' };
    const body = commandForm(app, {
      user: ws.directory.user(step.user)!,
      channelId,
      channelName: run.emulator.channel(channelId)!.name,
      command: '/incident',
      text: step.text,
      responseUrl: run.emulator.issueResponseUrl({ channel: channelId, user: step.user }).url,
      triggerId: run.emulator.issueTriggerId(step.user),
    });
    return (actor) => actor.rawRequest(body, slackRequestHeaders(SANDBOX_SIGNING_SECRET, body, 'application/x-www-form-urlencoded'));
  }
  let event: SlackEvent;
  if (step.kind === 'say') {
    run.said = ws.history.post({ channel: channelId, user: step.user, text: step.text, blocks: richTextBlocks(step.text) });
    event = messageEvent(ws, run.emulator.channel(channelId)!, run.said);
  } else {
    ws.history.addReaction(run.said!, 'pushpin', step.user);
    event = reactionEvent('reaction_added', step.user, run.said!, 'pushpin', ws.ts.next());
  }
  const eventId = newEventId();
  return (actor, attempt) => actor.deliverEvent(event, { eventId, ...(attempt > 0 ? { retryNum: attempt, retryReason: 'http_timeout' } : {}) });
}

/** Sends until a process answers: a request that died with its process goes to the next one. */
async function deliver(run: Run, send: Send): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const bot = await run.bot.ready();
    const response = await send(bot.actor, attempt).catch(() => undefined);
    if (response?.status === 200) return;
    if (response) throw new Error(`the bot answered ${response.status}: ${response.body}`);
    // No answer: the process is dying (wait for the next one), or the connection failed (send again).
    await Promise.race([bot.exited, sleep(1_000)]);
  }
  throw new Error('no process answered the request in 10 attempts');
}

function applyKill(run: Run, kill: Kill): Promise<void> {
  if (kill.mode === 'call') return run.bot.killAtCall(kill.select, CALL_KILL_TIMEOUT_MS);
  return sleep(kill.ms).then(() => run.bot.killNow(`${kill.ms} ms after step ${kill.step + 1}`));
}

/** Plays the steps, killing as planned, then waits until no effect is pending. */
async function play(run: Run, steps: Step[], kills: Kill[]): Promise<void> {
  for (const [index, step] of steps.entries()) {
    const delivered = deliver(run, await prepare(run, step));
    delivered.catch(() => undefined); // awaited below, after the kills
    for (const kill of kills.filter((k) => k.step === index)) await applyKill(run, kill);
    await delivered;
  }
  await incidentChannel(run, ANN);
  await waitFor('no pending effects', async () => (await run.store.outbox.dueIncidents(Number.MAX_SAFE_INTEGER)).length === 0, 60_000);
}

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';

/** The runs happen at different moments: clock times, dates and durations are left out. */
function timeless(text: string): string {
  return text
    .replace(/\b\d{8}\b/g, '<day>')
    .replace(new RegExp(`(${MONTHS}) \\d{1,2}, \\d{4}`, 'g'), '<date>')
    .replace(/\d{4}-\d{2}-\d{2}/g, '<date>')
    .replace(/\d{1,2}:\d{2} [AP]M/g, '<time>')
    .replace(/less than a minute|\d+ (?:day|hour|minute)s?(?: \d+ (?:hour|minute)s?)*/g, '<duration>');
}

async function endState(run: Run) {
  const channelId = run.channelId!;
  const incident = (await run.store.findIncidentByChannel(channelId))!;
  const messages = run.emulator.messages(channelId);
  const channel = run.emulator.channel(channelId)!;
  const postmortem = await run.store.latestPostmortem(incident.id);
  return {
    channels: run.emulator.workspace.directory
      .allChannels()
      .filter((c) => c.name.startsWith('inc-'))
      .map((c) => timeless(c.name)),
    incident: { status: incident.status, severity: incident.severity, channel: timeless(incident.chat?.channelName ?? '') },
    channel: { members: [...channel.members].sort(), topic: channel.topic.value, purpose: channel.purpose.value },
    timeline: (await run.store.listTimeline(incident.id)).map((e) => ({ kind: e.kind, text: e.text, actor: e.actorId })),
    headers: messages
      .filter((m) => m.metadata?.event_type === 'incident_header')
      .map((m) => ({
        text: m.text,
        blocks: timeless(JSON.stringify(m.blocks)),
        pinned: run.emulator.pinnedTs(channelId).includes(m.ts),
        stored: m.ts === incident.chat?.headerTs,
      })),
    postmortem: postmortem && timeless(postmortem.markdown),
    postmortemPosted: run.emulator.files().some((f) => f.channels.includes(channelId) && f.content === postmortem?.markdown),
    warnings: messages.filter((m) => m.text.includes(':warning:')).map((m) => m.text),
  };
}

/** Bot messages the crashed run has more often than the reference: posts a crash repeated. */
function repeatedPosts(reference: Run, crashed: Run): string[] {
  const counts = (run: Run) => {
    const byText = new Map<string, number>();
    for (const m of run.emulator.messages(run.channelId!)) {
      const text = timeless(m.text).replace(/\bv\d+\b/g, 'v<n>'); // postmortem versions
      if (m.botId) byText.set(text, (byText.get(text) ?? 0) + 1);
    }
    return byText;
  };
  const before = counts(reference);
  return [...counts(crashed)].filter(([text, n]) => n > (before.get(text) ?? 0)).map(([text, n]) => `${n}× ${text.slice(0, 60)}`);
}

describe('crash recovery: the real process, SIGKILLed and restarted on the same store', () => {
  let entry: string;
  const runs: Run[] = [];
  const begin = async (env: Record<string, string> = {}) => {
    const run = await startRun(entry, env);
    runs.push(run);
    return run;
  };

  beforeAll(async () => {
    entry = await buildEntry();
  }, 120_000);

  afterEach(async () => {
    for (const run of runs.splice(0)) await stopRun(run);
  });

  it('when Slack created the channel but the bot died before storing it, then the next process adopts that channel (no -2)', async () => {
    const run = await begin();
    await play(run, SCRIPT.slice(0, 1), [{ step: 0, mode: 'call', select: (call) => call.method === 'conversations.create' && call.ok }]);
    expect(run.bot.kills).toEqual(['conversations.create']);
    expect(run.emulator.callsTo('conversations.create').map((c) => c.error ?? 'ok')).toEqual(['ok', 'name_taken']);
    const state = await endState(run);
    expect(state.channels).toEqual(['inc-<day>-checkout-is-slow']);
    expect(state.headers).toEqual([expect.objectContaining({ pinned: true, stored: true })]);
  });

  it('when Slack posted the header but the bot died before storing its ts, then the next process finds it (one header)', async () => {
    const run = await begin();
    const isHeaderPost = (call: ApiCall) => call.method === 'chat.postMessage' && call.ok && JSON.stringify(call.args.metadata ?? '').includes('incident_header');
    await play(run, SCRIPT.slice(0, 1), [{ step: 0, mode: 'call', select: isHeaderPost }]);
    expect(run.bot.kills).toEqual(['chat.postMessage']);
    expect(run.emulator.calls.filter(isHeaderPost)).toHaveLength(1);
    const state = await endState(run);
    expect(state.headers).toEqual([expect.objectContaining({ text: 'INC-1: Checkout is slow — sev2, investigating', pinned: true, stored: true })]);
  });

  it('when Slack shared the postmortem file but the bot died before hearing so, then the next process finds it (one file, one export prompt)', async () => {
    const run = await begin();
    const isShare = (call: ApiCall) => call.method === 'files.completeUploadExternal' && call.ok;
    await play(run, SCRIPT, [{ step: SCRIPT.length - 1, mode: 'call', select: isShare }]);
    expect(run.bot.kills).toEqual(['files.completeUploadExternal']);
    expect(run.emulator.calls.filter(isShare)).toHaveLength(1);
    const messages = run.emulator.messages(run.channelId!);
    expect(messages.filter((m) => m.files?.length)).toHaveLength(1);
    expect(messages.filter((m) => JSON.stringify(m.metadata ?? '').includes('export prompt'))).toHaveLength(1);
  });

  it('when Jira created the ticket but the bot died before storing it, then the next process adopts that ticket (one ticket, one line)', async () => {
    const jira = await JiraEmulator.start({ deployment: 'cloud', cloud: { email: 'bot@acme.example', apiToken: 'jira-crash-token-0001' } });
    try {
      const run = await begin({
        TRACKER: 'jira',
        JIRA_BASE_URL: jira.baseUrl,
        JIRA_DEPLOYMENT: 'cloud',
        JIRA_PROJECT_KEY: 'OPS',
        JIRA_EMAIL: 'bot@acme.example',
        JIRA_API_TOKEN: 'jira-crash-token-0001',
        // A stored deadline hours away: waiting for an empty outbox would wait for it.
        TRACKER_SYNC_EVERY: 'off',
      });
      await play(run, SCRIPT.slice(0, 1), []);
      const delivered = deliver(run, await prepare(run, { kind: 'command', user: ANN, where: 'incident', text: 'action Rotate the keys --ticket' }));
      const source = { onCall: (listener: (call: TrackerCall) => void) => jira.onCall(listener), describe: (call: TrackerCall) => `${call.method} ${call.path}` };
      await run.bot.killAtServiceCall(source, (call) => call.method === 'POST' && call.path === '/rest/api/3/issue' && call.status === 201, 10_000);
      await delivered;
      await waitFor('the ticket stored', async () => (await run.store.findIncidentByChannel(run.channelId!))?.tickets?.length === 1, 30_000);

      expect(run.bot.kills).toEqual(['POST /rest/api/3/issue']);
      expect(jira.issues().map((i) => i.key)).toEqual(['OPS-1']);
      expect((await run.store.findIncidentByChannel(run.channelId!))?.tickets?.map((t) => t.key)).toEqual(['OPS-1']);
      await waitFor('no pending effects', async () => (await run.store.outbox.dueIncidents(Number.MAX_SAFE_INTEGER)).length === 0, 30_000);
      expect(run.emulator.messages(run.channelId!).filter((m) => m.text.startsWith(':ticket: Filed in Jira'))).toHaveLength(1);
    } finally {
      await jira.stop();
    }
  }, 60_000);

  it(`when the bot is killed ${KILLS} times during an incident (seed ${SEED}), then the end state equals a run without kills`, async () => {
    const reference = await begin();
    await play(reference, SCRIPT, []);
    const crashed = await begin();
    await play(crashed, SCRIPT, killPlan(SEED, KILLS, SCRIPT.length));

    expect(crashed.bot.kills).toHaveLength(KILLS);
    const [want, got] = [await endState(reference), await endState(crashed)];
    expect(want.headers).toHaveLength(1);
    expect(want.postmortemPosted).toBe(true);
    expect(got).toEqual(want);
    expect(crashed.bot.logs.filter((line) => line.includes('"msg":"effect abandoned"'))).toEqual([]);
    // A retried effect finds what an attempt cut short by a kill already posted (its metadata, or the file's name).
    const repeated = repeatedPosts(reference, crashed);
    console.info(`seed ${SEED}; kills at: ${crashed.bot.kills.join(', ')}; repeated posts: ${repeated.join(' | ') || 'none'}`);
    expect(repeated).toEqual([]);
  }, 150_000);
});
