// Benchmark 1: signed `/incident note …` slash commands into the real app, against two baselines
// under the same load generator in the same run. Afterwards every acknowledged note is looked up.

import type { ServerChild } from './lib/child';
import { pooled, type LoadResult, type LoadScenario } from './lib/load';
import type { LoopDelay, WorkspaceInfo } from './lib/protocol';
import { FORM, newTriggerId, signed, slashCommandBody } from './lib/slack-requests';
import { cpuPerResponse, loadInRounds, roundRatios, rps, type Ranged } from './lib/rounds';
import { ratio } from './lib/stats';
import { SANDBOX_SIGNING_SECRET } from '../src/sandbox/sandbox';

export interface AckLevel {
  connections: number;
  /** Each server's runs pooled over the rounds (see lib/rounds.ts). */
  ours: LoadResult;
  bareBolt: LoadResult;
  nodeHttp: LoadResult;
  /** The bot process's event-loop delay during its measured runs (the worst round): stalls show as a high max. */
  oursEventLoop: LoopDelay;
  /**
   * ours ÷ baseline: above 1 is faster for throughput, slower for p99. rps and CPU ratios are the
   * median over rounds of each round's ratio; latency ratios compare the pooled percentiles.
   * cpuVsBolt: our CPU time per request ÷ bare Bolt's (1.25 = our own work costs a fifth of the total).
   */
  ratios: { rpsVsBolt: number; rpsVsHttp: number; p99VsBolt: number; p99VsHttp: number; p50VsBolt: number; p50VsHttp: number; cpuVsBolt: number };
  /** The rounds' range of the median ratios above. */
  spread: { rpsVsBolt: Ranged; cpuVsBolt: Ranged };
}

export interface NotesCheck {
  /** Notes sent to the app (warm-ups included), answered 2xx, stored rows, distinct stored ids. */
  sent: number;
  acked: number;
  stored: number;
  storedDistinct: number;
  /** Acknowledged but not stored (must be 0). */
  ackedMissing: number;
  /** Stored but never sent (must be 0). */
  unknownStored: number;
  /** Stored, sent, but the run ended before the answer was read (bounded by the open connections). */
  storedUnanswered: number;
  /** Upper bound for storedUnanswered: connections open when runs were stopped. */
  cutOffBound: number;
  /** Notes in the timeline = 2xx answers (runs end on requests that store nothing). */
  storedEqualsAcked: boolean;
  slackCallsPerNote: number;
  pass: boolean;
}

export interface AckBench {
  warmupSec: number;
  durationSec: number;
  /** Runs per server and level, interleaved (lib/rounds.ts). */
  rounds: number;
  levels: AckLevel[];
  check: NotesCheck;
}

const NOTES = [
  'p99 checkout latency 2.3s on eu-west, rolling back deploy',
  'payments-db CPU at 95%, replica lag 40s',
  'error rate back under 1% after cache flush',
  'customer reports: "cart empties at step 3" <https://status.example.com|status page>',
  'pager for <@U0BOB> acknowledged, looking at LB logs',
  'hypothesis: connection pool exhausted after 14:02 deploy *not confirmed*',
];

interface Tracker {
  sent: Set<string>;
  acked: Set<string>;
}

function noteScenario(ws: WorkspaceInfo, tracker: Tracker): LoadScenario {
  let n = 0;
  return {
    steps: [
      (ctx) => {
        n += 1;
        const triggerId = newTriggerId();
        const userId = ws.userIds[n % ws.userIds.length];
        ctx.inFlight = triggerId;
        tracker.sent.add(triggerId);
        return signed(SANDBOX_SIGNING_SECRET, slashCommandBody(ws, userId, `note ${NOTES[n % NOTES.length]} (#${n})`, triggerId), FORM);
      },
    ],
    onResponse: (status, ctx) => {
      if (status >= 200 && status < 300 && typeof ctx.inFlight === 'string') tracker.acked.add(ctx.inFlight);
    },
    // `/incident help` stores nothing: the runs end on these, so every stored note was answered.
    drain: () => signed(SANDBOX_SIGNING_SECRET, slashCommandBody(ws, ws.userIds[0], 'help', newTriggerId()), FORM),
  };
}

export async function benchAck(
  servers: { ours: ServerChild; bareBolt: ServerChild; nodeHttp: ServerChild },
  ws: WorkspaceInfo,
  options: { levels: number[]; rounds: number; warmupSec: number; durationSec: number; log: (line: string) => void },
): Promise<AckBench> {
  const ours: Tracker = { sent: new Set(), acked: new Set() };
  const scratch = (): Tracker => ({ sent: new Set(), acked: new Set() });
  const callsBefore = await servers.ours.call('calls');
  const levels: AckLevel[] = [];
  let cutOffBound = 0;
  for (const [index, connections] of options.levels.entries()) {
    const { runs, botLoop } = await loadInRounds(servers, 'ours', { ...options, rotateFrom: index, connections, label: `ack c=${connections}`, unit: 'req' }, (key) =>
      noteScenario(ws, key === 'ours' ? ours : scratch()),
    );
    cutOffBound += connections * options.rounds;
    const [o, b, h] = [pooled(runs.ours), pooled(runs.bareBolt), pooled(runs.nodeHttp)];
    const spread = { rpsVsBolt: roundRatios(runs.ours, runs.bareBolt, rps), cpuVsBolt: roundRatios(runs.ours, runs.bareBolt, cpuPerResponse) };
    levels.push({
      connections,
      ours: o,
      bareBolt: b,
      nodeHttp: h,
      oursEventLoop: botLoop,
      ratios: {
        rpsVsBolt: spread.rpsVsBolt.median,
        rpsVsHttp: roundRatios(runs.ours, runs.nodeHttp, rps).median,
        p99VsBolt: ratio(o.p99Ms, b.p99Ms),
        p99VsHttp: ratio(o.p99Ms, h.p99Ms),
        p50VsBolt: ratio(o.p50Ms, b.p50Ms),
        p50VsHttp: ratio(o.p50Ms, h.p50Ms),
        cpuVsBolt: spread.cpuVsBolt.median,
      },
      spread,
    });
  }
  await servers.ours.call('settle');
  const callsAfter = await servers.ours.call('calls');
  return {
    warmupSec: options.warmupSec,
    durationSec: options.durationSec,
    rounds: options.rounds,
    levels,
    check: await checkNotes(servers.ours, ours, cutOffBound, callsAfter - callsBefore),
  };
}

async function checkNotes(ours: ServerChild, tracker: Tracker, cutOffBound: number, calls: number): Promise<NotesCheck> {
  const rows = (await ours.call('notes')).map((sourceId) => sourceId.replace(/^cmd:/, ''));
  const stored = new Set(rows);
  const ackedMissing = [...tracker.acked].filter((id) => !stored.has(id)).length;
  const unknownStored = [...stored].filter((id) => !tracker.sent.has(id)).length;
  const storedUnanswered = [...stored].filter((id) => !tracker.acked.has(id)).length - unknownStored;
  const check = {
    sent: tracker.sent.size,
    acked: tracker.acked.size,
    stored: rows.length,
    storedDistinct: stored.size,
    ackedMissing,
    unknownStored,
    storedUnanswered,
    cutOffBound,
    storedEqualsAcked: rows.length === tracker.acked.size,
    slackCallsPerNote: ratio(calls, tracker.acked.size),
  };
  return { ...check, pass: ackedMissing === 0 && unknownStored === 0 && rows.length === stored.size && storedUnanswered <= cutOffBound };
}
