// `npm run bench`: every benchmark, each against its baseline in this same run, then
// bench/results/latest.json and a table with PASS/MISS per target. See bench/README.md.
// Options: --quick (short runs, no 100k), --only=ack,ingest,compile,startup, --profile (CPU
// profiles of the bot, the bare Bolt baseline and the compile workers into bench/results/tmp/profiles),
// --duration=<s>, --warmup=<s> (per run), --rounds=<n> (runs per server, interleaved),
// --levels=1,10,50 (ack connection counts).

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import { benchAck } from './ack-latency';
import { benchCompile, COMPILE_SIZES } from './compile';
import { benchIngest } from './ingest';
import { startServer } from './lib/child';
import { describeMachine } from './lib/machine';
import { render, targets, type Results } from './lib/report';
import { benchStartup } from './startup';

const BENCHES = ['ack', 'ingest', 'compile', 'startup'] as const;
type Bench = (typeof BENCHES)[number];

function options(argv: string[]) {
  const flag = (name: string): string | undefined =>
    argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))?.split('=')[1] ?? (argv.includes(`--${name}`) ? '' : undefined);
  const quick = flag('quick') !== undefined;
  const only = flag('only');
  const selected = new Set<Bench>(only ? only.split(',').filter((b): b is Bench => (BENCHES as readonly string[]).includes(b)) : BENCHES);
  return {
    quick,
    selected,
    profile: flag('profile') !== undefined,
    durationSec: Number(flag('duration') || (quick ? 2 : 3)),
    rounds: Number(flag('rounds') || (quick ? 1 : 3)),
    warmupSec: Number(flag('warmup') || 1),
    levels: (flag('levels') || '1,10,50')
      .split(',')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0),
    ingestConnections: 20,
    compileSizes: quick ? COMPILE_SIZES.slice(0, 3) : COMPILE_SIZES,
    startupRuns: quick ? 3 : 7,
  };
}

async function main(): Promise<void> {
  const root = process.cwd();
  if (!existsSync(join(root, 'package.json')) || !existsSync(join(root, 'bench'))) throw new Error('run from the project root (npm run bench)');
  const opts = options(process.argv.slice(2));
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const results = join(root, 'bench', 'results');
  const tmp = join(results, 'tmp');
  const runDir = join(tmp, 'run');
  const profiles = join(tmp, 'profiles');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  if (opts.profile) mkdirSync(profiles, { recursive: true });
  const profileArgs = (name: string): string[] => (opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : []);

  const out: Results = { generatedAt: new Date().toISOString(), machine: describeMachine(root, runDir) };
  if (opts.selected.has('ack') || opts.selected.has('ingest')) {
    log('Starting the bot sandbox, bare Bolt and node:http servers…');
    const ours = await startServer('sandbox-app', [runDir], profileArgs('sandbox-app'));
    const bareBolt = await startServer('bare-bolt', [], profileArgs('bare-bolt'));
    const nodeHttp = await startServer('bare-http');
    try {
      const ws = ours.ready.workspace;
      if (!ws) throw new Error('the sandbox did not describe its workspace');
      out.sandboxIdle = await ours.call('memory');
      const servers = { ours, bareBolt, nodeHttp };
      if (opts.selected.has('ack')) {
        log('1. Ack latency');
        out.ack = await benchAck(servers, ws, { levels: opts.levels, rounds: opts.rounds, warmupSec: opts.warmupSec, durationSec: opts.durationSec, log });
      }
      if (opts.selected.has('ingest')) {
        log('2. Timeline ingest');
        out.ingest = await benchIngest(servers, ws, { connections: opts.ingestConnections, rounds: opts.rounds, warmupSec: opts.warmupSec, durationSec: opts.durationSec, log });
      }
      out.sandboxLogs = await ours.call('logs');
    } finally {
      await Promise.all([ours.stop(), bareBolt.stop(), nodeHttp.stop()]);
    }
  }
  if (opts.selected.has('compile')) {
    log('3. Postmortem compile + render');
    out.compile = await benchCompile({ sizes: opts.compileSizes, execArgv: opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : [], log });
  }
  if (opts.selected.has('startup')) {
    log('4. Startup');
    out.startup = await benchStartup({ root, tmp: runDir, runs: opts.startupRuns, log });
  }
  out.machine.loadAverageEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  out.targets = targets(out);
  rmSync(runDir, { recursive: true, force: true });
  writeFileSync(join(results, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  log(`\n${render(out)}\n\nWritten: bench/results/latest.json${opts.profile ? `; CPU profiles in ${profiles}` : ''}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
