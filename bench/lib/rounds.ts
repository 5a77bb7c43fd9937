// Load runs in rounds: every server once per round, the order rotated from round to round. On a
// shared machine throughput drifts by a fifth within minutes, so a ratio is taken between runs of
// the same round (next to each other in time) and the median over the rounds is reported, with the
// rounds' range beside it. Latency percentiles pool every run's latencies (load.ts `pooled`).

import type { ServerChild } from './child';
import { runMeasured, type LoadRun, type LoadScenario } from './load';
import type { LoopDelay } from './protocol';
import { ratio } from './stats';

export interface Ranged {
  median: number;
  min: number;
  max: number;
}

export function ranged(values: readonly number[]): Ranged {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN };
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** `run(key, round)` for every key in every round; round r starts at key (r + rotateFrom) mod n. */
export async function inRounds<K extends string>(
  keys: readonly K[],
  rounds: number,
  rotateFrom: number,
  run: (key: K, round: number) => Promise<LoadRun>,
): Promise<Record<K, LoadRun[]>> {
  const runs = Object.fromEntries(keys.map((key) => [key, [] as LoadRun[]])) as Record<K, LoadRun[]>;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[(i + round + rotateFrom) % keys.length];
      runs[key].push(await run(key, round));
    }
  }
  return runs;
}

/** Per round, pick(a) ÷ pick(b) of that round's runs; their median and range. */
export function roundRatios(a: readonly LoadRun[], b: readonly LoadRun[], pick: (run: LoadRun) => number): Ranged {
  return ranged(a.map((run, i) => ratio(pick(run), b[i] ? pick(b[i]) : NaN)));
}

/** The worst of several runs' event-loop delays. */
export function worstLoop(loops: readonly LoopDelay[]): LoopDelay {
  return { p50Ms: Math.max(...loops.map((l) => l.p50Ms)), p99Ms: Math.max(...loops.map((l) => l.p99Ms)), maxMs: Math.max(...loops.map((l) => l.maxMs)) };
}

export const rps = (run: LoadRun): number => run.result.rps;
export const cpuPerResponse = (run: LoadRun): number => run.result.cpuUsPerResponse ?? NaN;

export interface RoundsOptions {
  rounds: number;
  /** Which server goes first in round 0 (e.g. the load level's index, so levels rotate too). */
  rotateFrom: number;
  connections: number;
  warmupSec: number;
  durationSec: number;
  /** One line per run: `<label> round <n> <server>: <rate> <unit>/s …`. */
  log: (line: string) => void;
  label: string;
  unit: string;
}

/**
 * Every server in `servers` under the same load, in rounds; `bot`'s event-loop delay is read
 * around each of its runs (the worst run's is returned).
 */
export async function loadInRounds<K extends string>(
  servers: Record<K, ServerChild>,
  bot: NoInfer<K>,
  options: RoundsOptions,
  scenario: (key: K) => LoadScenario,
): Promise<{ runs: Record<K, LoadRun[]>; botLoop: LoopDelay }> {
  const loops: LoopDelay[] = [];
  const { connections, warmupSec, durationSec } = options;
  const runs = await inRounds(Object.keys(servers) as K[], options.rounds, options.rotateFrom, async (key, round) => {
    const server = servers[key];
    await server.call('loop');
    const run = await runMeasured(server, { connections, warmupSec, durationSec }, scenario(key));
    if (key === bot) loops.push(await server.call('loop'));
    const r = run.result;
    options.log(`  ${options.label} round ${round + 1} ${key}: ${r.rps.toFixed(0)} ${options.unit}/s, p99 ${r.p99Ms.toFixed(2)} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
    return run;
  });
  return { runs, botLoop: worstLoop(loops) };
}
