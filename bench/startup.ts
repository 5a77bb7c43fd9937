// Benchmark 4: time from spawn to ready, and idle RSS, of the production entry point
// (`node dist/index.js`, built by `npm run build`) against an emulated Slack started here, compared
// with a bare node:http server's spawn → listening, alternating the two so both see the same noise.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET } from '../src/sandbox/sandbox';
import { SlackEmulator } from '../src/sandbox/slack-emulator';
import { median, ratio, sleep } from './lib/stats';

export interface StartupBench {
  runs: number;
  /** Medians, milliseconds. */
  appReadyMs: number;
  baselineReadyMs: number;
  ratio: number;
  appRunsMs: number[];
  baselineRunsMs: number[];
  /** VmRSS of the app process one second after ready (median), and of the baseline likewise. */
  appIdleRssBytes: number;
  baselineIdleRssBytes: number;
  rssRatio: number;
}

const BASELINE = "require('http').createServer().listen(0, () => console.log('ready'))";

/** Resident set of a live process, from /proc (Linux). */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

interface Started {
  readyMs: number;
  idleRss: number;
}

/** Spawns, waits for `marker` on stdout, lets it idle a second, reads its RSS, then SIGTERM. */
function startOnce(args: string[], marker: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let ready = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (ready) return;
      out += chunk.toString();
      if (!out.includes(marker)) return;
      ready = true;
      const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
      void sleep(1000).then(() => {
        const idleRss = rssOf(child.pid ?? -1);
        child.once('exit', () => resolve({ readyMs, idleRss }));
        child.kill('SIGTERM');
      });
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${args.join(' ')} exited ${code} before "${marker}": ${err || out}`));
    });
  });
}

export async function benchStartup(options: { root: string; tmp: string; runs: number; log: (line: string) => void }): Promise<StartupBench> {
  const entry = join(options.root, 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm run bench does)`);
  const cwd = join(options.tmp, 'startup');
  mkdirSync(cwd, { recursive: true });
  const emulator = await SlackEmulator.start({ botToken: SANDBOX_BOT_TOKEN, teamId: 'T0STARTUP' });
  // A clean environment: a developer's SLACK_APP_TOKEN or .env must not switch modes (cwd has no .env).
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const app: number[] = [];
  const baseline: number[] = [];
  const appRss: number[] = [];
  const baselineRss: number[] = [];
  try {
    for (let i = 0; i < options.runs; i++) {
      const b = await startOnce(['-e', BASELINE], 'ready', base, cwd);
      const env = {
        ...base,
        SLACK_BOT_TOKEN: SANDBOX_BOT_TOKEN,
        SLACK_SIGNING_SECRET: SANDBOX_SIGNING_SECRET,
        SLACK_API_URL: emulator.apiUrl,
        PORT: '0',
        SQLITE_PATH: join(cwd, `startup-${i}.db`),
        LOG_LEVEL: 'info',
      };
      const a = await startOnce([entry], 'incident bot ready', env, cwd);
      baseline.push(b.readyMs);
      baselineRss.push(b.idleRss);
      app.push(a.readyMs);
      appRss.push(a.idleRss);
      options.log(`  startup run ${i + 1}: app ${a.readyMs.toFixed(0)} ms, baseline ${b.readyMs.toFixed(0)} ms`);
    }
  } finally {
    await emulator.stop();
  }
  const appReadyMs = median(app);
  const baselineReadyMs = median(baseline);
  return {
    runs: options.runs,
    appReadyMs,
    baselineReadyMs,
    ratio: ratio(appReadyMs, baselineReadyMs),
    appRunsMs: app,
    baselineRunsMs: baseline,
    appIdleRssBytes: median(appRss),
    baselineIdleRssBytes: median(baselineRss),
    rssRatio: ratio(median(appRss), median(baselineRss)),
  };
}
