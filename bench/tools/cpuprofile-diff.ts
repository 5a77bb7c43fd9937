// What the bot spends per request beyond bare Bolt, function by function: self time per request in
// the bot's profile minus the same in bare Bolt's, from one `--profile` run of one benchmark (so
// both served the same requests). Positive rows are work the bot adds (its own code, or Bolt
// machinery it makes run more); negative rows are Bolt work the bot avoids. The request counts
// come from bench/results/latest.json (every response of every round, warm-up included).
// Usage: node …/tools/cpuprofile-diff.js ack|ingest <bot.cpuprofile> <bare-bolt.cpuprofile> [rows=30]
// Run the bench with --only=ack (or ingest) first: the bot's profile covers everything it served.

import { readFileSync } from 'node:fs';

import type { Results } from '../lib/report';
import { IDLE, label, selfTimes, type Profile } from './cpuprofile-top';

/** Self time by function label, µs. */
function selfByLabel(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  for (const [id, us] of selfTimes(profile)) {
    const node = byId.get(id);
    if (node) out.set(label(node), (out.get(label(node)) ?? 0) + us);
  }
  out.delete(IDLE);
  out.delete('(native):0:(root)');
  return out;
}

function requestCounts(results: Results, bench: string): { ours: number; bolt: number } {
  if (bench === 'ack' && results.ack) {
    const sum = (key: 'ours' | 'bareBolt') => results.ack?.levels.reduce((n, level) => n + level[key].responsesAll, 0) ?? 0;
    return { ours: sum('ours'), bolt: sum('bareBolt') };
  }
  if (bench === 'ingest' && results.ingest) return { ours: results.ingest.ours.responsesAll, bolt: results.ingest.bareBolt.responsesAll };
  throw new Error(`latest.json has no ${bench} results`);
}

export function diff(ours: Profile, oursRequests: number, bolt: Profile, boltRequests: number, rows: number): string {
  const [a, b] = [selfByLabel(ours), selfByLabel(bolt)];
  const lines = [...new Set([...a.keys(), ...b.keys()])].map((name) => {
    const [x, y] = [(a.get(name) ?? 0) / oursRequests, (b.get(name) ?? 0) / boltRequests];
    return { name, x, y, d: x - y };
  });
  const total = (m: Map<string, number>, n: number) => [...m.values()].reduce((s, v) => s + v, 0) / n;
  const row = (l: (typeof lines)[number]) => `${l.d.toFixed(1).padStart(8)} ${l.x.toFixed(1).padStart(8)} ${l.y.toFixed(1).padStart(8)}  ${l.name}`;
  lines.sort((p, q) => q.d - p.d);
  return [
    `busy µs per request: bot ${total(a, oursRequests).toFixed(1)}, bare Bolt ${total(b, boltRequests).toFixed(1)}`,
    `${'diff'.padStart(8)} ${'bot'.padStart(8)} ${'Bolt'.padStart(8)}  function (self time, µs per request)`,
    ...lines.slice(0, rows).map(row),
    '… the bot spends less:',
    ...lines.slice(-Math.min(8, rows)).map(row),
  ].join('\n');
}

if (require.main === module) {
  const [bench, oursFile, boltFile, rows] = process.argv.slice(2);
  if (!bench || !oursFile || !boltFile) {
    process.stderr.write('usage: cpuprofile-diff ack|ingest <bot.cpuprofile> <bare-bolt.cpuprofile> [rows]\n');
    process.exit(2);
  }
  const counts = requestCounts(JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as Results, bench);
  const load = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Profile;
  process.stdout.write(`${diff(load(oursFile), counts.ours, load(boltFile), counts.bolt, Number(rows ?? 30))}\n`);
}
