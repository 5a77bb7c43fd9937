// The real bot (`node <build>/index.js`, the production entry point) as a child process, against an
// emulated Slack running in the test process: started on a SQLite file, killed with SIGKILL at
// chosen moments, and started again on the same file at once, as a supervisor (systemd,
// Kubernetes) would. Each child listens on its own port, so each gets its own SlackActor.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET } from '../../src/sandbox/sandbox';
import { SlackActor } from '../../src/sandbox/slack-actor';
import type { ApiCall, SlackEmulator } from '../../src/sandbox/slack-emulator';

const ROOT = resolve(__dirname, '../..');
// Under node_modules, so the build finds the project's dependencies; not dist/, which others run.
// Named after the checkout: worktrees that link one node_modules must not overwrite each other's build.
const BUILD_DIR = join(ROOT, 'node_modules', '.cache', `crash-recovery-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`);
const READY_TIMEOUT_MS = 20_000;
/**
 * Claims on pending effects lapse this soon after a kill, so the restarted process resumes the
 * queue at once instead of waiting out the 15 s default (a live process renews its claims).
 */
const EFFECT_LEASE = '2s';

/**
 * Compiles src/ with tsconfig.build.json, incrementally: ~20 s the first time, a few seconds when
 * little changed. tsc still emits when some file has type errors (exit code 2); those fail
 * `npm run typecheck`, not this test, which runs the code as built.
 */
export function buildEntry(): Promise<string> {
  const outDir = join(BUILD_DIR, 'dist');
  const args = [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir, '--incremental', '--tsBuildInfoFile', join(BUILD_DIR, 'build.tsbuildinfo')];
  return new Promise((done, fail) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      const entry = join(outDir, 'index.js');
      if ((error && error.code !== 2) || !existsSync(entry)) fail(new Error(`build failed: ${error?.message ?? ''}\n${stdout}`));
      else done(entry);
    });
  });
}

export interface ChildBotOptions {
  entry: string;
  emulator: SlackEmulator;
  sqlitePath: string;
  /** Working directory without a .env (index.ts would read one). */
  cwd: string;
  timeZone: string;
  /** More environment, e.g. MONGODB_URI. */
  env?: Record<string, string>;
}

/** An emulated service whose calls a kill can wait for, and how a kill there is named. */
export interface CallSource<C> {
  onCall(listener: (call: C) => void): () => void;
  describe(call: C): string;
}

function slackSource(emulator: SlackEmulator): CallSource<ApiCall> {
  return { onCall: (listener) => emulator.onCall(listener), describe: (call) => call.method };
}

/** One process of the bot; `exited` settles when it is gone. */
export class ChildBot {
  private constructor(
    readonly process: ChildProcess,
    readonly actor: SlackActor,
    readonly exited: Promise<void>,
  ) {}

  static start(options: ChildBotOptions, logs: string[]): Promise<ChildBot> {
    const child = spawn(process.execPath, [options.entry], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Only what the bot needs: a developer's MONGODB_URI or SLACK_APP_TOKEN must not switch modes.
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: SANDBOX_BOT_TOKEN,
        SLACK_SIGNING_SECRET: SANDBOX_SIGNING_SECRET,
        SLACK_API_URL: options.emulator.apiUrl,
        SQLITE_PATH: options.sqlitePath,
        PORT: '0',
        HOST: '127.0.0.1',
        INCIDENT_TIMEZONE: options.timeZone,
        INCIDENT_EFFECT_LEASE: EFFECT_LEASE,
        LOG_LEVEL: 'info',
        // Reminders are stored deadlines hours away: a test waiting for an empty outbox would wait for them.
        INCIDENT_UPDATE_EVERY: 'sev1=off,sev2=off,sev3=off,sev4=off',
        INCIDENT_NUDGE_NO_ROLES: 'off',
        INCIDENT_NUDGE_SEVERITY_UNCHANGED: 'off',
        ...options.env,
      },
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    return new Promise((done, fail) => {
      let buffered = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), READY_TIMEOUT_MS);
      child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          logs.push(line);
          const port = readyPort(line);
          if (port === undefined) continue;
          clearTimeout(timer);
          const actor = new SlackActor({ appUrl: `http://127.0.0.1:${port}`, signingSecret: SANDBOX_SIGNING_SECRET, emulator: options.emulator });
          done(new ChildBot(child, actor, exited));
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        fail(new Error(`bot exited (${child.signalCode ?? child.exitCode}) before it was ready: ${logs.slice(-5).join('\n')}`));
      });
    });
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }
}

function readyPort(line: string): number | undefined {
  if (!line.includes('incident bot ready')) return undefined;
  const entry = JSON.parse(line) as { msg?: string; port?: unknown };
  return entry.msg === 'incident bot ready' && typeof entry.port === 'number' ? entry.port : undefined;
}

/** Keeps one bot process running on the file: whenever it dies, another starts. */
export class SupervisedBot {
  /** Every log line of every process, in order. */
  readonly logs: string[] = [];
  /** Where each kill landed, e.g. `conversations.create` or `idle`. */
  readonly kills: string[] = [];
  private current: Promise<ChildBot>;
  private running?: ChildBot;
  private stopping = false;

  private constructor(private readonly options: ChildBotOptions) {
    this.current = this.launch();
  }

  static async start(options: ChildBotOptions): Promise<SupervisedBot> {
    const supervised = new SupervisedBot(options);
    await supervised.ready();
    return supervised;
  }

  /** The running process, once the restart after a kill (if any) is done. */
  ready(): Promise<ChildBot> {
    return this.current;
  }

  /** SIGKILL now; resolves when the replacement is ready. */
  async killNow(where: string): Promise<void> {
    const bot = await this.ready();
    this.kill(bot, where);
    await bot.exited;
    await this.ready();
  }

  /**
   * Kills the process at the moment the emulated Slack has carried out the first call that
   * `select` picks (before the answer goes out, so the bot never learns of it); if no such call
   * comes within `timeoutMs`, kills it then. Resolves when the replacement is ready.
   */
  killAtCall(select: (call: ApiCall, index: number) => boolean, timeoutMs: number): Promise<void> {
    return this.killAtServiceCall(slackSource(this.options.emulator), select, timeoutMs);
  }

  /** As killAtCall, for the calls of another emulated service (a tracker). */
  async killAtServiceCall<C>(from: CallSource<C>, select: (call: C, index: number) => boolean, timeoutMs: number): Promise<void> {
    let index = 0;
    let unsubscribe: () => void = () => undefined;
    // Calls made while a process starts up (auth.test) do not count: only a ready one is killed.
    const killed = new Promise<ChildBot>((done) => {
      unsubscribe = from.onCall((call) => {
        const victim = this.running;
        if (!victim || !select(call, index++)) return;
        this.kill(victim, from.describe(call));
        done(victim);
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), timeoutMs)));
    const outcome = await Promise.race([killed, timeout]);
    unsubscribe();
    clearTimeout(timer);
    if (outcome === 'timeout') return this.killNow('idle');
    await outcome.exited;
    await this.ready();
  }

  /** SIGTERM (a clean shutdown), no restart. */
  async stop(): Promise<void> {
    this.stopping = true;
    const bot = await this.current.catch(() => undefined);
    if (!bot?.alive) return;
    bot.process.kill('SIGTERM');
    await bot.exited;
  }

  private kill(bot: ChildBot, where: string): void {
    if (!bot.alive) return;
    this.kills.push(where);
    bot.process.kill('SIGKILL');
  }

  /** Starts a process and, when it dies without being stopped, the next one. */
  private async launch(): Promise<ChildBot> {
    const bot = await ChildBot.start(this.options, this.logs);
    this.running = bot;
    // Registered before anyone else awaits `exited`, so `current` is already the next one for them.
    void bot.exited.then(() => {
      this.running = undefined;
      if (!this.stopping) this.current = this.launch();
    });
    return bot;
  }
}
