// The load generator: autocannon as a library, one connection = one client sending its steps in
// order and waiting for each answer (pipelining 1). Each request is built (and signed) just before
// it is sent. One run covers warm-up + measurement on the same connections: only requests sent after
// the warm-up count, so connection setup (whose first requests can wait a second on a loaded
// machine, whatever the server) stays out of the figures. Latency percentiles come from every 2xx
// response's own time (autocannon's `response` event, hrtime in fractional ms), since its
// histogram has 1 ms resolution.

import autocannon from 'autocannon';

import { percentile } from './stats';
import type { SignedRequest } from './slack-requests';

/**
 * Per-connection state that autocannon carries from a request to its response. With pipelining 1,
 * `inFlight` is the request whose answer arrives next.
 */
export interface StepContext {
  inFlight?: unknown;
  [key: string]: unknown;
}

export interface LoadScenario {
  /** What each connection sends, in order, again and again. */
  steps: ReadonlyArray<(ctx: StepContext) => SignedRequest>;
  /** Every answer, with the context its request was built in. */
  onResponse?(status: number, ctx: StepContext): void;
  /**
   * Sent instead of the steps for a second after the measured window, until autocannon stops:
   * requests that change nothing, so the ones cut off by the stop have no effect either
   * and every stored effect has its answer.
   */
  drain?: () => SignedRequest;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Measured seconds, after `warmupSec` on the same connections. */
  durationSec: number;
  warmupSec: number;
  /** Path of Bolt's HTTPReceiver. */
  path?: string;
}

export interface LoadResult {
  connections: number;
  /** The measured window (after warm-up), seconds. */
  durationSec: number;
  /** 2xx responses received in the window. */
  ok: number;
  non2xx: number;
  /** Every response of the run, warm-up included. */
  responsesAll: number;
  /** Connection errors and timeouts, whole run. */
  errors: number;
  timeouts: number;
  /** 2xx responses received per second of the window. */
  rps: number;
  /** Latency of the 2xx answers to requests sent in the window (answered then or during the drain). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  /** The server's CPU time per response over the whole run (warm-up and drain included), µs; set by runMeasured. */
  cpuUsPerResponse?: number;
}

const DRAIN_SEC = 1;

/** One run: its result, and every measured latency (to pool several runs' percentiles). */
export interface LoadRun {
  result: LoadResult;
  latencies: Float64Array;
}

export function runLoad(options: LoadOptions, scenario: LoadScenario): Promise<LoadRun> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const requests: autocannon.Request[] = scenario.steps.map((step) => ({
    method: 'POST',
    // autocannon passes a per-client context object; we keep our own fields on it.
    setupRequest: (request, context) => {
      const ctx = context as StepContext;
      if (draining && scenario.drain) ctx.inFlight = undefined;
      const { body, headers } = draining && scenario.drain ? scenario.drain() : step(ctx);
      return { ...request, body, headers };
    },
    onResponse: (status, _body, context) => scenario.onResponse?.(status, context as StepContext),
  }));
  const started = performance.now();
  const windowStart = started + options.warmupSec * 1000;
  let windowEnd = Infinity;
  let draining = false;
  let responsesAll = 0;
  let ok = 0;
  return new Promise<LoadRun>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.url}${options.path ?? '/slack/events'}`,
        connections: options.connections,
        pipelining: 1,
        // With a drain, a further second of requests that store nothing before autocannon stops.
        duration: options.warmupSec + options.durationSec + (scenario.drain ? DRAIN_SEC : 0),
        timeout: 10,
        requests,
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const seconds = (Math.min(windowEnd, performance.now()) - windowStart) / 1000;
        const sorted = Float64Array.from(latencies).sort();
        resolve({
          result: {
            connections: options.connections,
            durationSec: seconds,
            ok,
            non2xx: Object.entries(statuses).reduce((n, [s, c]) => (s.startsWith('2') ? n : n + c), 0),
            responsesAll,
            errors: result.errors,
            timeouts: result.timeouts,
            ...latencyFigures(sorted),
            rps: ok / seconds,
            statuses,
          },
          latencies: sorted,
        });
      },
    );
    // The window ends when the measured duration is up; autocannon stops at its next 1 s tick.
    setTimeout(
      () => {
        windowEnd = performance.now();
        draining = true;
      },
      (options.warmupSec + options.durationSec) * 1000,
    ).unref();
    instance.on('response', (_client, status, _bytes, ms) => {
      responsesAll += 1;
      const now = performance.now();
      const is2xx = status >= 200 && status < 300;
      if (now >= windowStart && now <= windowEnd) {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (is2xx) ok += 1;
      }
      const sentAt = now - ms;
      if (is2xx && sentAt >= windowStart && sentAt <= windowEnd) latencies.push(ms);
    });
  });
}

function latencyFigures(sorted: Float64Array): Pick<LoadResult, 'p50Ms' | 'p99Ms' | 'maxMs'> {
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/** runLoad, plus the server's CPU time per response: what each request costs it, whatever else the machine does. */
export async function runMeasured(server: { url: string; call(cmd: 'cpu'): Promise<number> }, options: Omit<LoadOptions, 'url'>, scenario: LoadScenario): Promise<LoadRun> {
  const before = await server.call('cpu');
  const run = await runLoad({ ...options, url: server.url }, scenario);
  const used = (await server.call('cpu')) - before;
  return { ...run, result: { ...run.result, cpuUsPerResponse: used / Math.max(1, run.result.responsesAll) } };
}

/** Several runs of one server as one: counts and windows summed, percentiles over every latency, CPU per response over all responses. */
export function pooled(runs: readonly LoadRun[]): LoadResult {
  if (runs.length === 0) throw new Error('no runs to pool');
  const sum = (pick: (r: LoadResult) => number): number => runs.reduce((n, run) => n + pick(run.result), 0);
  const statuses: Record<string, number> = {};
  for (const { result } of runs) for (const [status, count] of Object.entries(result.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  const all = new Float64Array(runs.reduce((n, run) => n + run.latencies.length, 0));
  let filled = 0;
  for (const run of runs) {
    all.set(run.latencies, filled);
    filled += run.latencies.length;
  }
  all.sort();
  const durationSec = sum((r) => r.durationSec);
  const responsesAll = sum((r) => r.responsesAll);
  const cpuUs = runs.every((run) => run.result.cpuUsPerResponse !== undefined) ? sum((r) => (r.cpuUsPerResponse ?? 0) * r.responsesAll) : undefined;
  return {
    connections: runs[0].result.connections,
    durationSec,
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    responsesAll,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    ...latencyFigures(all),
    rps: sum((r) => r.ok) / durationSec,
    statuses,
    ...(cpuUs === undefined ? {} : { cpuUsPerResponse: cpuUs / Math.max(1, responsesAll) }),
  };
}
