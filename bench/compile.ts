// Benchmark 3: postmortem compile + render (Markdown and Confluence storage format) at 100, 1,000,
// 10,000 and 100,000 timeline events, each size in a fresh child process (clean heap and peak RSS).

import { fork } from 'node:child_process';
import { join } from 'node:path';

import { ratio } from './lib/stats';
import type { CompileSample } from './workers/compile-worker';

export interface CompileRow extends CompileSample {
  msPerEvent: number;
  /** time(this size) ÷ time(previous size, 10× fewer); 10 is linear. */
  growth?: number;
  stringifyGrowth?: number;
}

export interface CompileBench {
  rows: CompileRow[];
}

export const COMPILE_SIZES: ReadonlyArray<readonly [events: number, runs: number]> = [
  [100, 21],
  [1_000, 15],
  [10_000, 9],
  [100_000, 3],
];

function runWorker(events: number, runs: number, execArgv: string[]): Promise<CompileSample> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'workers', 'compile-worker.js'), [String(events), String(runs)], {
      execArgv: ['--expose-gc', ...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let sample: CompileSample | undefined;
    child.once('message', (message: CompileSample) => (sample = message));
    child.once('error', reject);
    child.once('exit', (code) => (sample ? resolve(sample) : reject(new Error(`compile worker (${events} events) exited ${code}`))));
  });
}

export async function benchCompile(options: { sizes: ReadonlyArray<readonly [number, number]>; execArgv: string[]; log: (line: string) => void }): Promise<CompileBench> {
  const rows: CompileRow[] = [];
  for (const [events, runs] of options.sizes) {
    const sample = await runWorker(events, runs, options.execArgv);
    const previous = rows.at(-1);
    const row: CompileRow = {
      ...sample,
      msPerEvent: sample.totalMs / events,
      ...(previous && previous.events * 10 === events ? { growth: ratio(sample.totalMs, previous.totalMs), stringifyGrowth: ratio(sample.stringifyMs, previous.stringifyMs) } : {}),
    };
    rows.push(row);
    options.log(`  compile ${events} events: ${sample.totalMs.toFixed(2)} ms (median of ${runs}), JSON.stringify ${sample.stringifyMs.toFixed(2)} ms`);
  }
  return { rows };
}
