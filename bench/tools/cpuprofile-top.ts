// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `npm run bench -- --profile`): the
// functions with the most self time and the most total (inclusive) time, as file:line:function and
// their share of the busy time (time waiting in the event loop, "(idle)", is left out).
// Time is weighted by each sample's time delta, not counted in samples: a blocking system call
// (an fsync inside better-sqlite3) delays the profiler's signal, so it shows up as one long
// sample in the JS function that made the call, which is where the time went.
// Usage: node …/tools/cpuprofile-top.js <file.cpuprofile> [rows=25]

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? relative(process.cwd(), url.replace(/^file:\/\//, '')) : '(native)';
  return `${file}:${lineNumber + 1}:${functionName || '(anonymous)'}`;
}

export const IDLE = '(native):0:(idle)';

/** Microseconds spent with each node on top of the stack. */
export function selfTimes(profile: Profile): Map<number, number> {
  const weights = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples && timeDeltas && samples.length === timeDeltas.length) {
    samples.forEach((id, i) => weights.set(id, (weights.get(id) ?? 0) + Math.max(0, timeDeltas[i])));
  } else {
    for (const node of profile.nodes) weights.set(node.id, (node.hitCount ?? 0) * 1000);
  }
  return weights;
}

export function summarise(profile: Profile, rows: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const weights = selfTimes(profile);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  // Depth-first from the roots, carrying the labels on the stack so recursion counts once.
  const walk = (id: number, stack: Set<string>): number => {
    const node = byId.get(id);
    if (!node) return 0;
    const name = label(node);
    const own = weights.get(id) ?? 0;
    self.set(name, (self.get(name) ?? 0) + own);
    const fresh = !stack.has(name);
    if (fresh) stack.add(name);
    let subtree = own;
    for (const child of node.children ?? []) subtree += walk(child, stack);
    if (fresh) {
      stack.delete(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + subtree);
    }
    return subtree;
  };
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  for (const root of profile.nodes.filter((n) => !childIds.has(n.id))) walk(root.id, new Set());
  const all = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = self.get(IDLE) ?? 0;
  const busy = Math.max(1, all - idle);
  for (const map of [self, inclusive]) {
    map.delete(IDLE);
    map.delete('(native):0:(root)');
  }
  const top = (map: Map<string, number>): string =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(([name, us]) => `${((100 * us) / busy).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`)
      .join('\n');
  const s = (us: number): string => `${(us / 1e6).toFixed(2)} s`;
  return `profiled ${s(all)}: idle ${s(idle)}, busy ${s(busy)}; shares are of the busy time\n\nself time:\n${top(self)}\n\ntotal time (inclusive):\n${top(inclusive)}`;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: cpuprofile-top <file.cpuprofile> [rows]\n');
    process.exit(2);
  }
  process.stdout.write(`${summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25))}\n`);
}
