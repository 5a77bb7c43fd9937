// The readable table and the PASS/MISS verdicts, from the results object written to latest.json.

import type { AckBench } from '../ack-latency';
import type { CompileBench } from '../compile';
import type { IngestBench } from '../ingest';
import type { StartupBench } from '../startup';
import type { Machine } from './machine';
import type { MemoryStats } from './protocol';
import type { Ranged } from './rounds';
import { fmt, mib } from './stats';

export interface Results {
  generatedAt: string;
  machine: Machine;
  ack?: AckBench;
  ingest?: IngestBench;
  compile?: CompileBench;
  startup?: StartupBench;
  /** The sandbox child (bot + emulated Slack + store) right after it was ready, before any load. */
  sandboxIdle?: MemoryStats;
  /** Warnings and errors the bot logged during the load runs. */
  sandboxLogs?: { count: number; first: string[] };
  targets?: Target[];
}

export interface Target {
  name: string;
  goal: string;
  measured: string;
  verdict: 'PASS' | 'MISS' | 'NOT RUN';
}

/** CPU time per response, µs. */
function cpu(r: { cpuUsPerResponse?: number }): string {
  return r.cpuUsPerResponse === undefined ? '—' : `${fmt(r.cpuUsPerResponse, 0)} µs`;
}

/** The rounds' range of a ratio, when there was more than one round. */
function range(r: Ranged | undefined): string {
  return r && r.min !== r.max ? `${fmt(r.min)}–${fmt(r.max)}` : '—';
}

/** Columns padded to their widest cell; the first `left` columns left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][], left = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const TARGET_CONNECTIONS = 50;
const LINEAR_STEP_LIMIT = 15; // time(10×)/time(x) up to 1.5× the ideal 10

export function targets(r: Results): Target[] {
  const out: Target[] = [];
  // The targets are set at 50 connections; a run without that level (--levels) has no verdict.
  const top = r.ack?.levels.find((level) => level.connections === TARGET_CONNECTIONS);
  out.push({
    name: `ack p99 at ${TARGET_CONNECTIONS} connections`,
    goal: '< 50 ms',
    measured: top ? `${fmt(top.ours.p99Ms)} ms (${fmt(top.ratios.p99VsBolt)}× bare Bolt)` : '—',
    verdict: !top ? 'NOT RUN' : top.ours.p99Ms < 50 ? 'PASS' : 'MISS',
  });
  out.push({
    name: `throughput vs bare Bolt at ${TARGET_CONNECTIONS} connections`,
    goal: '≥ 0.80',
    measured: top
      ? `${fmt(top.ratios.rpsVsBolt)} median of ${r.ack?.rounds ?? 1} rounds (range ${range(top.spread.rpsVsBolt)}; ${fmt(top.ours.rps, 0)} vs ${fmt(top.bareBolt.rps, 0)} req/s; CPU/req ${fmt(top.ratios.cpuVsBolt)}× Bolt's)`
      : '—',
    verdict: !top ? 'NOT RUN' : top.ratios.rpsVsBolt >= 0.8 ? 'PASS' : 'MISS',
  });
  out.push({
    name: 'acknowledged notes stored exactly once',
    goal: 'all',
    measured: r.ack ? `${r.ack.check.acked} acked, ${r.ack.check.ackedMissing} missing, ${r.ack.check.stored - r.ack.check.storedDistinct} duplicated` : '—',
    verdict: !r.ack ? 'NOT RUN' : r.ack.check.pass ? 'PASS' : 'MISS',
  });
  const ingest = r.ingest;
  out.push({
    name: 'timeline ingest, durably stored',
    goal: '≥ 2,000 events/s, none lost or duplicated',
    measured: ingest
      ? `${fmt(ingest.ours.rps, 0)} events/s (${fmt(ingest.ratios.vsBolt)}× bare Bolt, CPU/event ${fmt(ingest.ratios.cpuVsBolt)}× Bolt's), check ${ingest.check.pass ? 'ok' : 'FAILED'}`
      : '—',
    verdict: !ingest ? 'NOT RUN' : ingest.ours.rps >= 2000 && ingest.check.pass ? 'PASS' : 'MISS',
  });
  const rows = r.compile?.rows ?? [];
  const tenK = rows.find((row) => row.events === 10_000);
  const steps = rows.filter((row) => row.events >= 10_000 && row.growth !== undefined);
  const linear = steps.length > 0 && steps.every((row) => (row.growth ?? Infinity) <= LINEAR_STEP_LIMIT);
  out.push({
    name: 'postmortem compile+render, 10,000 events',
    goal: `< 100 ms and linear (each 10× step ≤ ${LINEAR_STEP_LIMIT}×)`,
    measured: tenK
      ? `${fmt(tenK.totalMs)} ms (${fmt(tenK.vsStringify, 1)}× JSON.stringify); ${linear ? 'linear' : 'NOT linear'}: steps ${steps.map((s) => `${fmt(s.growth ?? NaN, 1)}×`).join(', ')}`
      : '—',
    verdict: !tenK ? 'NOT RUN' : tenK.totalMs < 100 && linear ? 'PASS' : 'MISS',
  });
  return out;
}

export function render(r: Results): string {
  const parts: string[] = [];
  const m = r.machine;
  parts.push(
    `Machine: ${m.nproc} cores, ${m.cpuModel}, node ${m.node}, ${m.memoryGiB} GiB, load ${m.loadAverageStart.join('/')} → ${(m.loadAverageEnd ?? []).join('/')}, db on ${m.databaseFileSystem}`,
  );
  if (r.ack) {
    parts.push(
      `\n1. Ack latency: /incident note, ${r.ack.rounds} rounds of ${r.ack.durationSec} s per server after ${r.ack.warmupSec} s warm-up (same connections; ` +
        'ratios are ours ÷ baseline, the median of the rounds; percentiles over all rounds)',
    );
    parts.push(
      table(
        [
          'conns',
          'ours req/s',
          'Bolt req/s',
          'http req/s',
          'rps/Bolt',
          'rounds',
          'rps/http',
          'ours p50',
          'ours p99',
          'Bolt p99',
          'http p99',
          'p99/Bolt',
          'p99/http',
          'CPU/req',
          'CPU/Bolt',
          'rounds',
          'bot loop max',
        ],
        r.ack.levels.map((l) => [
          String(l.connections),
          fmt(l.ours.rps, 0),
          fmt(l.bareBolt.rps, 0),
          fmt(l.nodeHttp.rps, 0),
          fmt(l.ratios.rpsVsBolt),
          range(l.spread.rpsVsBolt),
          fmt(l.ratios.rpsVsHttp),
          `${fmt(l.ours.p50Ms)} ms`,
          `${fmt(l.ours.p99Ms)} ms`,
          `${fmt(l.bareBolt.p99Ms)} ms`,
          `${fmt(l.nodeHttp.p99Ms)} ms`,
          fmt(l.ratios.p99VsBolt),
          fmt(l.ratios.p99VsHttp),
          `${fmt(l.ours.cpuUsPerResponse ?? 0, 0)} µs`,
          fmt(l.ratios.cpuVsBolt),
          range(l.spread.cpuVsBolt),
          `${fmt(l.oursEventLoop.maxMs, 0)} ms`,
        ]),
      ),
    );
    const c = r.ack.check;
    parts.push(
      `   notes: ${c.sent} sent, ${c.acked} answered 2xx, ${c.stored} stored (${c.storedDistinct} distinct); acked-but-missing ${c.ackedMissing}, ` +
        `stored-but-unanswered (cut off) ${c.storedUnanswered} ≤ ${c.cutOffBound}, unknown ${c.unknownStored}, stored = 2xx: ${c.storedEqualsAcked ? 'yes' : 'no'}; Slack calls/note ${fmt(c.slackCallsPerNote, 3)} → ${c.pass ? 'ok' : 'FAILED'}`,
    );
  }
  if (r.ingest) {
    const i = r.ingest;
    parts.push(
      `\n2. Timeline ingest: message, message, :pushpin: per connection, ${i.connections} connections, ${i.rounds} rounds of ${i.durationSec} s per server after ${i.warmupSec} s warm-up`,
    );
    parts.push(
      table(
        ['server', 'events/s', 'p50', 'p99', 'non-2xx', 'ours ÷ this', 'rounds', 'CPU/event', 'CPU ours ÷ this', 'rounds'],
        [
          ['ours (stored)', fmt(i.ours.rps, 0), `${fmt(i.ours.p50Ms)} ms`, `${fmt(i.ours.p99Ms)} ms`, String(i.ours.non2xx), '1.00', '', cpu(i.ours), '1.00', ''],
          [
            'bare Bolt',
            fmt(i.bareBolt.rps, 0),
            `${fmt(i.bareBolt.p50Ms)} ms`,
            `${fmt(i.bareBolt.p99Ms)} ms`,
            String(i.bareBolt.non2xx),
            fmt(i.ratios.vsBolt),
            range(i.spread.vsBolt),
            cpu(i.bareBolt),
            fmt(i.ratios.cpuVsBolt),
            range(i.spread.cpuVsBolt),
          ],
          [
            'node:http',
            fmt(i.nodeHttp.rps, 0),
            `${fmt(i.nodeHttp.p50Ms)} ms`,
            `${fmt(i.nodeHttp.p99Ms)} ms`,
            String(i.nodeHttp.non2xx),
            fmt(i.ratios.vsHttp),
            '',
            cpu(i.nodeHttp),
            '',
            '',
          ],
        ],
      ),
    );
    const c = i.check;
    if (i.oursEventLoop) parts.push(`   bot event-loop delay during its run: p99 ${fmt(i.oursEventLoop.p99Ms)} ms, max ${fmt(i.oursEventLoop.maxMs, 0)} ms`);
    parts.push(
      `   store: ${c.ackedMessages} messages acked → ${c.transcriptRows} transcript rows (${c.transcriptDistinct} distinct, ${c.messagesMissing} missing); ` +
        `${c.ackedPins} :pushpin: acked → ${c.timelineMessageRows} timeline entries (${c.timelineMessageDistinct} distinct, ${c.pinsMissing} missing); ` +
        `unanswered (cut off) ${c.storedUnanswered} ≤ ${c.cutOffBound}, unknown ${c.unknownStored}, stored = 2xx: ${c.storedEqualsAcked ? 'yes' : 'no'}, pending effects ${c.pendingEffects} → ${c.pass ? 'ok' : 'FAILED'}`,
    );
    parts.push(
      `   Slack Web API calls during ingest: ${i.slackCalls.calls} → ${fmt(i.slackCalls.perEvent, 4)} per event, ${fmt(i.slackCalls.perTimelineEntry, 4)} per timeline entry`,
    );
  }
  if (r.compile) {
    parts.push('\n3. Postmortem compile + render (Markdown + Confluence), medians, fresh process per size');
    parts.push(
      table(
        ['events', 'runs', 'total', 'compile', 'md', 'confl.', 'µs/event', '÷ stringify', 'growth 10×', 'stringify 10×', 'heap Δ', 'peak RSS'],
        r.compile.rows.map((row) => [
          row.events.toLocaleString('en-US'),
          String(row.runs),
          `${fmt(row.totalMs)} ms`,
          `${fmt(row.compileMs)} ms`,
          `${fmt(row.markdownMs)} ms`,
          `${fmt(row.confluenceMs)} ms`,
          fmt(row.msPerEvent * 1000),
          `${fmt(row.vsStringify, 1)}×`,
          row.growth === undefined ? '—' : `${fmt(row.growth, 1)}×`,
          row.stringifyGrowth === undefined ? '—' : `${fmt(row.stringifyGrowth, 1)}×`,
          mib(row.heapDeltaBytes),
          mib(row.maxRssBytes),
        ]),
      ),
    );
  }
  if (r.startup || r.ingest) {
    parts.push('\n4. Startup and footprint');
    const s = r.startup;
    if (s) {
      parts.push(`   spawn → ready (median of ${s.runs}): node dist/index.js ${fmt(s.appReadyMs, 0)} ms vs bare node:http ${fmt(s.baselineReadyMs, 0)} ms → ${fmt(s.ratio)}×`);
      parts.push(`   idle RSS 1 s after ready: app ${mib(s.appIdleRssBytes)} vs bare node:http ${mib(s.baselineIdleRssBytes)} → ${fmt(s.rssRatio)}×`);
    }
    if (r.ingest) {
      const { before, after } = r.ingest.memory;
      const idle = r.sandboxIdle ? `${mib(r.sandboxIdle.rss)} idle after start, ` : '';
      parts.push(
        `   sandbox child (bot + emulated Slack + store in one process): RSS ${idle}${mib(before.rss)} before ingest → ${mib(after.rss)} after (peak ${mib(after.maxRss)})`,
      );
    }
  }
  if (r.targets) {
    parts.push('\nTargets');
    parts.push(
      table(
        ['target', 'goal', 'measured', 'verdict'],
        r.targets.map((t) => [t.name, t.goal, t.measured, t.verdict]),
        4,
      ),
    );
  }
  return parts.join('\n');
}
