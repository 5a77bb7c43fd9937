// The benchmark's statistics: runs in rotated rounds, per-round ratios, and several runs pooled into one result.

import { pooled, type LoadRun } from '../../../bench/lib/load';
import { inRounds, ranged, roundRatios, worstLoop } from '../../../bench/lib/rounds';

function run(rps: number, latencies: number[], cpuUsPerResponse?: number): LoadRun {
  const sorted = Float64Array.from(latencies).sort();
  return {
    result: {
      connections: 10,
      durationSec: 2,
      ok: rps * 2,
      non2xx: 1,
      responsesAll: rps * 2 + 10,
      errors: 0,
      timeouts: 0,
      rps,
      p50Ms: NaN,
      p99Ms: NaN,
      maxMs: NaN,
      statuses: { '200': rps * 2, '500': 1 },
      ...(cpuUsPerResponse === undefined ? {} : { cpuUsPerResponse }),
    },
    latencies: sorted,
  };
}

describe('bench rounds', () => {
  it('when servers run in rounds, then every round runs each once and the starting server rotates', async () => {
    const order: string[] = [];
    const runs = await inRounds(['a', 'b', 'c'] as const, 3, 1, async (key, round) => {
      order.push(`${round}${key}`);
      return run(100, [1]);
    });
    expect(order).toEqual(['0b', '0c', '0a', '1c', '1a', '1b', '2a', '2b', '2c']);
    expect(runs.a).toHaveLength(3);
  });

  it('when ratios are taken per round, then the median and the range come back; non-finite ones are left out', () => {
    expect(ranged([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(ranged([4, 1, 2, 3])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(ranged([NaN])).toEqual({ median: NaN, min: NaN, max: NaN });
    const ours = [run(80, [1]), run(90, [1]), run(50, [1])];
    const bolt = [run(100, [1]), run(100, [1]), run(0, [1])];
    const ratios = roundRatios(ours, bolt, (r) => r.result.rps);
    expect(ratios.median).toBeCloseTo(0.85, 12);
    expect([ratios.min, ratios.max]).toEqual([0.8, 0.9]);
  });

  it('when runs are pooled, then counts add up, rates use the summed windows and percentiles use every latency', () => {
    const p = pooled([run(100, [1, 2, 3, 4], 200), run(300, [5, 6, 7, 8, 9, 10], 100)]);
    expect(p).toMatchObject({ durationSec: 4, ok: 800, non2xx: 2, responsesAll: 820, rps: 200, p50Ms: 5, p99Ms: 10, maxMs: 10, statuses: { '200': 800, '500': 2 } });
    // CPU per response over all responses: (200 × 210 + 100 × 610) ÷ 820.
    expect(p.cpuUsPerResponse).toBeCloseTo((200 * 210 + 100 * 610) / 820, 9);
    expect(pooled([run(100, [1]), run(100, [2], 50)]).cpuUsPerResponse).toBeUndefined();
    expect(() => pooled([])).toThrow('no runs');
  });

  it('when loop delays of several runs are combined, then the worst of each figure is kept', () => {
    expect(
      worstLoop([
        { p50Ms: 1, p99Ms: 9, maxMs: 12 },
        { p50Ms: 2, p99Ms: 5, maxMs: 30 },
      ]),
    ).toEqual({ p50Ms: 2, p99Ms: 9, maxMs: 30 });
  });
});
