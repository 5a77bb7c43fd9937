// A whole bot in a box: the emulated Slack, the real app in HTTP mode on a loopback port, the real
// embedded store, and an actor that talks to the app the way Slack does. The demo and the
// integration tests both start from here, so they exercise exactly the same path.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildBot, type Bot } from '../app/build-bot';
import { createLogger, type LogLevel } from '../app/logger';
import type { AppConfig } from '../config/config';
import { SqliteIncidentStore } from '../store/sqlite/sqlite-store';
import { SlackActor } from './slack-actor';
import { SlackEmulator } from './slack-emulator';
import { SteerableClock } from './steerable-clock';

export interface SandboxOptions {
  timeZone?: string;
  teamId?: string;
  /** Where the embedded database lives; a fresh temporary file by default. */
  sqlitePath?: string;
  clock?: SteerableClock;
  /** Creates a public channel of this name (the bot in it) and announces new incidents there. */
  announceChannelName?: string;
  channelPrefix?: string;
  logLevel?: LogLevel;
  /** Log lines go here (tests collect them to check that no secret leaks). */
  logSink?: (line: string) => void;
}

export interface Sandbox {
  emulator: SlackEmulator;
  actor: SlackActor;
  bot: Bot;
  store: SqliteIncidentStore;
  clock: SteerableClock;
  config: AppConfig;
  appUrl: string;
  /** Waits until every effect queued so far has been carried out. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export const SANDBOX_BOT_TOKEN = 'xoxb-sandbox-0000000000-abcdefghijklmnop';
export const SANDBOX_SIGNING_SECRET = 'sandbox-signing-secret-5f2a9c';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? new SteerableClock();
  const teamId = options.teamId ?? 'T0SANDBOX';
  const emulator = await SlackEmulator.start({ botToken: SANDBOX_BOT_TOKEN, teamId, clock });
  const announceChannelId = options.announceChannelName
    ? emulator.createChannel({ name: options.announceChannelName, members: [emulator.identity.botUserId] }).id
    : undefined;
  const sqlitePath = options.sqlitePath ?? join(mkdtempSync(join(tmpdir(), 'incident-sandbox-')), 'incidents.db');
  const store = SqliteIncidentStore.open(sqlitePath);
  const config: AppConfig = {
    slack: { botToken: SANDBOX_BOT_TOKEN, signingSecret: SANDBOX_SIGNING_SECRET, apiUrl: emulator.apiUrl, socketMode: false },
    port: 0,
    timeZone: options.timeZone ?? 'UTC',
    sqlite: { path: sqlitePath, synchronous: 'NORMAL' },
    channelPrefix: options.channelPrefix ?? 'inc',
    ...(announceChannelId ? { announceChannelId } : {}),
    logLevel: options.logLevel ?? 'warn',
  };
  const logger = createLogger({
    level: config.logLevel,
    secrets: [SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET],
    write: options.logSink ?? ((line) => process.stderr.write(line)),
  });
  const bot = buildBot({ config, store, clock, logger });
  const { port } = await bot.start();
  const appUrl = `http://127.0.0.1:${port}`;
  const actor = new SlackActor({ appUrl, signingSecret: SANDBOX_SIGNING_SECRET, emulator, teamId });

  async function settle(): Promise<void> {
    // Effects can queue more effects (and wake-ups are deferred by a tick), so loop until quiet.
    for (let round = 0; round < 50; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      await bot.effects.idle();
      const due = await store.incidentsWithDueEffects(clock.now());
      if (due.length === 0) return;
      due.forEach((id) => bot.effects.kick(id));
    }
  }

  return {
    emulator,
    actor,
    bot,
    store,
    clock,
    config,
    appUrl,
    settle,
    async stop() {
      await bot.stop();
      await store.close();
      await emulator.stop();
    },
  };
}
