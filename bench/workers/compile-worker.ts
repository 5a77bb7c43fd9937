// One size of the postmortem benchmark, in a fresh process (run with --expose-gc): memory of one
// compile + render first (heap growth over a collected baseline, and peak RSS), then the median of
// `runs` timed compile + render passes, and the same for the baseline, JSON.stringify of the events.
// argv: <events> <runs>. Answers one CompileSample over IPC and exits.

import { compilePostmortem } from '../../src/postmortem/compile';
import { renderConfluenceStorage } from '../../src/postmortem/render-confluence';
import { renderMarkdown } from '../../src/postmortem/render-markdown';
import { syntheticIncident } from '../lib/synthetic-incident';
import { median } from '../lib/stats';

export interface CompileSample {
  events: number;
  runs: number;
  /** Medians, milliseconds. */
  totalMs: number;
  compileMs: number;
  markdownMs: number;
  confluenceMs: number;
  stringifyMs: number;
  /** Median over runs of total ÷ JSON.stringify in that same run: the machine-independent figure. */
  vsStringify: number;
  /** Every run's total, to judge the spread. */
  totalRunsMs: number[];
  heapDeltaBytes: number;
  rssBeforeBytes: number;
  maxRssBytes: number;
  markdownBytes: number;
  confluenceBytes: number;
}

const FOOTER = { footer: 'Exported by Incident Commander · benchmark' };

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function main(): void {
  const events = Number(process.argv[2]);
  const runs = Number(process.argv[3]);
  const input = syntheticIncident(events);
  if (input.timeline.length !== events) throw new Error(`generated ${input.timeline.length} events, wanted ${events}`);

  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBeforeBytes = process.memoryUsage().rss;
  const model = compilePostmortem(input);
  const afterCompile = process.memoryUsage().heapUsed;
  const markdown = renderMarkdown(model);
  const afterMarkdown = process.memoryUsage().heapUsed;
  const confluence = renderConfluenceStorage(model, FOOTER);
  const afterConfluence = process.memoryUsage().heapUsed;
  // Everything is still referenced here: the largest sample is the peak of live + garbage so far.
  const heapDeltaBytes = Math.max(afterCompile, afterMarkdown, afterConfluence) - heapBefore;
  const sizes = { markdownBytes: Buffer.byteLength(markdown), confluenceBytes: Buffer.byteLength(confluence) };

  // Each timed pass is followed by the baseline pass, so both see the same machine at the same moment.
  const total: number[] = [];
  const perRunRatio: number[] = [];
  const parts = { compile: [] as number[], markdown: [] as number[], confluence: [] as number[], stringify: [] as number[] };
  for (let i = 0; i < runs; i++) {
    collect();
    const t0 = now();
    const m = compilePostmortem(input);
    const t1 = now();
    const md = renderMarkdown(m);
    const t2 = now();
    const xml = renderConfluenceStorage(m, FOOTER);
    const t3 = now();
    if (md.length !== markdown.length || xml.length !== confluence.length) throw new Error('renders differ between runs');
    collect();
    const t4 = now();
    const json = JSON.stringify(input.timeline);
    const t5 = now();
    if (json.length === 0) throw new Error('empty JSON');
    total.push(t3 - t0);
    parts.compile.push(t1 - t0);
    parts.markdown.push(t2 - t1);
    parts.confluence.push(t3 - t2);
    parts.stringify.push(t5 - t4);
    perRunRatio.push((t3 - t0) / (t5 - t4));
  }
  const sample: CompileSample = {
    events,
    runs,
    totalMs: median(total),
    compileMs: median(parts.compile),
    markdownMs: median(parts.markdown),
    confluenceMs: median(parts.confluence),
    stringifyMs: median(parts.stringify),
    vsStringify: median(perRunRatio),
    totalRunsMs: total,
    heapDeltaBytes,
    rssBeforeBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    ...sizes,
  };
  process.send?.(sample, () => process.exit(0));
}

main();
