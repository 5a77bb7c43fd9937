// Benchmark 2: Events API deliveries into one incident channel, as fast as a fixed number of
// connections can get them acknowledged. Each connection repeats: message A, message B, :pushpin:
// on A (so a third of the events are highlights and half the messages join the timeline). Every
// delivery has its own event_id. Afterwards the store is compared with what was acknowledged.

import type { ServerChild } from './lib/child';
import { pooled, type LoadResult, type LoadScenario, type StepContext } from './lib/load';
import { cpuPerResponse, loadInRounds, roundRatios, rps, type Ranged } from './lib/rounds';
import type { LoopDelay, MemoryStats, WorkspaceInfo } from './lib/protocol';
import { eventCallbackBody, JSON_TYPE, messageEvent, newEventId, newMessageTs, pushpinEvent, signed, urlVerificationBody } from './lib/slack-requests';
import { ratio } from './lib/stats';
import { SANDBOX_SIGNING_SECRET } from '../src/sandbox/sandbox';

interface Sent {
  kind: 'message' | 'pushpin';
  ts: string;
}

interface Tracker {
  sentMessages: Set<string>;
  ackedMessages: Set<string>;
  sentPins: Set<string>;
  ackedPins: Set<string>;
}

export interface IngestCheck {
  ackedMessages: number;
  ackedPins: number;
  transcriptRows: number;
  transcriptDistinct: number;
  timelineMessageRows: number;
  timelineMessageDistinct: number;
  /** Acknowledged message missing from the transcript / acknowledged :pushpin: missing from the timeline. */
  messagesMissing: number;
  pinsMissing: number;
  /** Stored without having been sent (must be 0). */
  unknownStored: number;
  /** Stored and sent, but the run stopped before the answer was read (at most one per open connection). */
  storedUnanswered: number;
  cutOffBound: number;
  /** Transcript rows = acknowledged messages and timeline entries = acknowledged :pushpin:s. */
  storedEqualsAcked: boolean;
  pendingEffects: number;
  pass: boolean;
}

export interface IngestBench {
  connections: number;
  warmupSec: number;
  durationSec: number;
  /** Runs per server, interleaved (lib/rounds.ts). */
  rounds: number;
  /** Each server's runs pooled over the rounds. */
  ours: LoadResult;
  nodeHttp: LoadResult;
  bareBolt: LoadResult;
  /** Medians over rounds of each round's ratio; cpuVsBolt: our CPU time per event ÷ bare Bolt's. */
  ratios: { vsHttp: number; vsBolt: number; cpuVsBolt: number };
  /** The rounds' range of those ratios. */
  spread: { vsBolt: Ranged; cpuVsBolt: Ranged };
  /** The bot process's event-loop delay during its measured runs (the worst round). */
  oursEventLoop?: LoopDelay;
  check: IngestCheck;
  slackCalls: { calls: number; perEvent: number; perTimelineEntry: number };
  memory: { before: MemoryStats; after: MemoryStats };
}

function ingestScenario(ws: WorkspaceInfo, t: Tracker): LoadScenario {
  let n = 0;
  const user = (k: number): string => ws.userIds[k % ws.userIds.length];
  const message = (ctx: StepContext, slot: 'a' | 'b'): ReturnType<typeof signed> => {
    n += 1;
    const ts = newMessageTs();
    const author = user(n);
    ctx[slot] = { ts, author };
    ctx.inFlight = { kind: 'message', ts } satisfies Sent;
    t.sentMessages.add(ts);
    const text = `${slot === 'a' ? 'checkout-api 5xx at 12% in eu-west' : 'rolling back to v2.41.3'} (${n}) <@${user(n + 1)}>`;
    return signed(SANDBOX_SIGNING_SECRET, eventCallbackBody(ws, messageEvent(ws, author, ts, text), newEventId()), JSON_TYPE);
  };
  return {
    steps: [
      (ctx) => message(ctx, 'a'),
      (ctx) => message(ctx, 'b'),
      (ctx) => {
        const a = ctx.a as { ts: string; author: string };
        ctx.inFlight = { kind: 'pushpin', ts: a.ts } satisfies Sent;
        t.sentPins.add(a.ts);
        return signed(SANDBOX_SIGNING_SECRET, eventCallbackBody(ws, pushpinEvent(ws, user(n + 2), a.author, a.ts), newEventId()), JSON_TYPE);
      },
    ],
    onResponse: (status, ctx) => {
      const sent = ctx.inFlight as Sent | undefined;
      if (!sent || status < 200 || status >= 300) return;
      (sent.kind === 'message' ? t.ackedMessages : t.ackedPins).add(sent.ts);
    },
    // A url_verification stores nothing: the runs end on these, so every stored event was answered.
    drain: () => signed(SANDBOX_SIGNING_SECRET, urlVerificationBody(), JSON_TYPE),
  };
}

const tracker = (): Tracker => ({ sentMessages: new Set(), ackedMessages: new Set(), sentPins: new Set(), ackedPins: new Set() });

export async function benchIngest(
  servers: { ours: ServerChild; bareBolt: ServerChild; nodeHttp: ServerChild },
  ws: WorkspaceInfo,
  options: { connections: number; rounds: number; warmupSec: number; durationSec: number; log: (line: string) => void },
): Promise<IngestBench> {
  const { connections, warmupSec, durationSec, rounds } = options;
  const ours = tracker();
  await servers.ours.call('settle');
  const callsBefore = await servers.ours.call('calls');
  const memoryBefore = await servers.ours.call('memory');
  const { runs, botLoop } = await loadInRounds(
    // Key order is the first round's run order.
    { nodeHttp: servers.nodeHttp, ours: servers.ours, bareBolt: servers.bareBolt },
    'ours',
    { ...options, rotateFrom: 0, label: `ingest c=${connections}`, unit: 'events' },
    (key) => ingestScenario(ws, key === 'ours' ? ours : tracker()),
  );
  const cutOffBound = connections * rounds;
  await servers.ours.call('settle');
  const memoryAfter = await servers.ours.call('memory');
  const calls = (await servers.ours.call('calls')) - callsBefore;
  const check = await checkIngest(servers.ours, ws, ours, cutOffBound);
  const events = ours.ackedMessages.size + ours.ackedPins.size;
  const spread = { vsBolt: roundRatios(runs.ours, runs.bareBolt, rps), cpuVsBolt: roundRatios(runs.ours, runs.bareBolt, cpuPerResponse) };
  return {
    connections,
    warmupSec,
    durationSec,
    rounds,
    ours: pooled(runs.ours),
    nodeHttp: pooled(runs.nodeHttp),
    bareBolt: pooled(runs.bareBolt),
    ratios: { vsHttp: roundRatios(runs.ours, runs.nodeHttp, rps).median, vsBolt: spread.vsBolt.median, cpuVsBolt: spread.cpuVsBolt.median },
    spread,
    oursEventLoop: botLoop,
    check,
    slackCalls: { calls, perEvent: ratio(calls, events), perTimelineEntry: ratio(calls, check.timelineMessageRows) },
    memory: { before: memoryBefore, after: memoryAfter },
  };
}

async function checkIngest(ours: ServerChild, ws: WorkspaceInfo, t: Tracker, cutOffBound: number): Promise<IngestCheck> {
  const state = await ours.call('ingest-state');
  const prefix = `msg:${ws.channelId}:`;
  const pinnedTs = state.messageSourceIds.map((id) => (id.startsWith(prefix) ? id.slice(prefix.length) : id));
  const transcript = new Set(state.transcriptTs);
  const timeline = new Set(pinnedTs);
  const missing = (acked: Set<string>, stored: Set<string>): number => [...acked].filter((ts) => !stored.has(ts)).length;
  const unknown = [...transcript].filter((ts) => !t.sentMessages.has(ts)).length + [...timeline].filter((ts) => !t.sentPins.has(ts)).length;
  const unanswered = [...transcript].filter((ts) => !t.ackedMessages.has(ts)).length + [...timeline].filter((ts) => !t.ackedPins.has(ts)).length - unknown;
  const check = {
    ackedMessages: t.ackedMessages.size,
    ackedPins: t.ackedPins.size,
    transcriptRows: state.transcriptTs.length,
    transcriptDistinct: transcript.size,
    timelineMessageRows: pinnedTs.length,
    timelineMessageDistinct: timeline.size,
    messagesMissing: missing(t.ackedMessages, transcript),
    pinsMissing: missing(t.ackedPins, timeline),
    unknownStored: unknown,
    storedUnanswered: unanswered,
    cutOffBound,
    storedEqualsAcked: state.transcriptTs.length === t.ackedMessages.size && pinnedTs.length === t.ackedPins.size,
    pendingEffects: state.pendingEffects,
  };
  const exactlyOnce = check.transcriptRows === check.transcriptDistinct && check.timelineMessageRows === check.timelineMessageDistinct;
  const pass = exactlyOnce && check.messagesMissing === 0 && check.pinsMissing === 0 && unknown === 0 && unanswered <= cutOffBound;
  return { ...check, pass };
}
