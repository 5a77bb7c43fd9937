// A whole bot in a box: the emulated Slack, the real app in HTTP mode on a loopback port, the real
// embedded store, and an actor that talks to the app the way Slack does. The demo and the
// integration tests both start from here, so they exercise exactly the same path.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildBot, type Bot } from '../app/build-bot';
import { createLogger, type LogLevel } from '../app/logger';
import type { AppConfig } from '../config/config';
import { confluenceConfig, type ConfluenceConfig } from '../config/confluence-config';
import type { ConfluencePages } from '../ports/confluence';
import type { IssueTracker } from '../ports/issue-tracker';
import { trackerSecrets, type TrackerConfig } from '../config/tracker-config';
import type { EscalationSettings } from '../usecases/context';
import { NO_REMINDERS, type ReminderSettings } from '../domain/reminders';
import type { Storage } from '../ports/incident-store';
import { SqliteIncidentStore } from '../store/sqlite/sqlite-store';
import { SlackActor } from './slack-actor';
import { SlackEmulator } from './slack-emulator';
import { SteerableClock } from './steerable-clock';

export interface SandboxOptions {
  timeZone?: string;
  teamId?: string;
  /** Where the embedded database lives; a fresh temporary file by default. */
  sqlitePath?: string;
  /** An already open store (e.g. MongoDB) instead of the SQLite file; the sandbox closes it. */
  store?: Storage;
  /** The sandbox's time and the bot's timers on it: real time shifted by default, or a SteeredTime. */
  clock?: SteerableClock;
  /** Creates a public channel of this name (the bot in it) and announces new incidents there. */
  announceChannelName?: string;
  channelPrefix?: string;
  logLevel?: LogLevel;
  /** Escalation policies, as loaded from ESCALATION_POLICIES_FILE in production. */
  escalation?: EscalationSettings;
  /** Update reminders and nudges; none by default (tests and the demo opt in). */
  reminders?: ReminderSettings;
  /** INCIDENT_ARCHIVE_AFTER: archive the channel this long after close; never by default. */
  archiveAfterMs?: number;
  /** Confluence export settings (e.g. pointing at the emulated Confluence); off by default. */
  confluence?: ConfluenceConfig;
  /** A Confluence adapter to use instead of the one built from `confluence` (tests: no real waits). */
  confluencePages?: ConfluencePages;
  /** Follow-up tickets (e.g. pointing at an emulated Jira); off by default. */
  tracker?: TrackerConfig;
  /** A tracker adapter to use instead of the one built from `tracker` (tests: no real waits). */
  issueTracker?: IssueTracker;
  /** How Slack reaches the bot: signed HTTP requests (default) or Socket Mode envelopes. */
  transport?: 'http' | 'socket';
  /** Workspaces allowed to use the bot (all when empty). */
  allowedTeamIds?: string[];
  /** Who may close, resolve, change severity and escalate. */
  control?: AppConfig['control'];
  /** Log lines go here (tests collect them to check that no secret leaks). */
  logSink?: (line: string) => void;
}

export interface Sandbox extends AttachedBot {
  emulator: SlackEmulator;
  clock: SteerableClock;
  /** Stops the bot, its store and the emulator. */
  stop(): Promise<void>;
}

/** How long settle waits between looks for due effects. */
const SETTLE_STEP_MS = 20;

export const SANDBOX_BOT_TOKEN = 'xoxb-sandbox-0000000000-abcdefghijklmnop';
export const SANDBOX_SIGNING_SECRET = 'sandbox-signing-secret-5f2a9c';
export const SANDBOX_APP_TOKEN = 'xapp-1-sandbox-0000000000-abcdefghijklmnop';

/** A bot (app + store + actor) attached to an emulated Slack; several may share one database file. */
export interface AttachedBot {
  actor: SlackActor;
  bot: Bot;
  store: Storage;
  config: AppConfig;
  appUrl: string;
  /** Waits until every effect queued so far has been carried out. */
  settle(): Promise<void>;
  /** Stops the app and closes its store connection (the emulator keeps running). */
  detach(): Promise<void>;
}

export type AttachOptions = Omit<SandboxOptions, 'clock' | 'teamId'> & {
  sqlitePath: string;
  announceChannelId?: string;
};

export async function attachBot(emulator: SlackEmulator, clock: SteerableClock, options: AttachOptions): Promise<AttachedBot> {
  const store = options.store ?? SqliteIncidentStore.open(options.sqlitePath);
  const socket = options.transport === 'socket';
  const config: AppConfig = {
    slack: {
      botToken: SANDBOX_BOT_TOKEN,
      signingSecret: SANDBOX_SIGNING_SECRET,
      apiUrl: emulator.apiUrl,
      socketMode: socket,
      ...(socket ? { appToken: SANDBOX_APP_TOKEN } : {}),
    },
    port: 0,
    host: '127.0.0.1',
    timeZone: options.timeZone ?? 'UTC',
    sqlite: { path: options.sqlitePath, synchronous: 'NORMAL' },
    channelPrefix: options.channelPrefix ?? 'inc',
    ...(options.announceChannelId ? { announceChannelId: options.announceChannelId } : {}),
    logLevel: options.logLevel ?? 'warn',
    confluence: options.confluence ?? confluenceConfig({ CONFLUENCE_AUTO_EXPORT: false }),
    tracker: options.tracker ?? { enabled: false },
    allowedTeamIds: options.allowedTeamIds ?? [],
    control: options.control ?? { mode: 'anyone' },
    reminders: options.reminders ?? NO_REMINDERS,
    ...(options.archiveAfterMs !== undefined ? { archiveAfterMs: options.archiveAfterMs } : {}),
  };
  const logger = createLogger({
    level: config.logLevel,
    secrets: [SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET, SANDBOX_APP_TOKEN, ...trackerSecrets(config.tracker)],
    write: options.logSink ?? ((line) => process.stderr.write(line)),
  });
  const bot = buildBot({
    config,
    store,
    clock,
    scheduler: clock,
    logger,
    ...(options.escalation ? { escalation: options.escalation } : {}),
    ...(options.confluencePages ? { confluencePages: options.confluencePages } : {}),
    ...(options.issueTracker ? { issueTracker: options.issueTracker } : {}),
    // A short pong timeout keeps reconnects (which wait for it) quick in tests.
    ...(socket ? { socketPingTimeoutMs: 500 } : {}),
  });
  const { port } = await bot.start();
  const appUrl = `http://127.0.0.1:${port}`;
  if (socket) await emulator.socketMode.waitForConnection();
  const actor = socket
    ? new SlackActor({ transport: 'socket', appUrl, emulator, teamId: emulator.identity.teamId })
    : new SlackActor({ appUrl, signingSecret: SANDBOX_SIGNING_SECRET, emulator, teamId: emulator.identity.teamId });

  async function settle(): Promise<void> {
    // Effects queue more effects, wake-ups are deferred by a tick, and header updates are paced
    // at one a second: loop until nothing due is left (bounded, so a stuck queue fails the test).
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      await bot.effects.idle();
      const due = await store.outbox.dueIncidents(clock.now());
      if (due.length === 0) return;
      due.forEach((id) => bot.effects.kick(id));
      await clock.wait(SETTLE_STEP_MS, () => bot.effects.idle());
    }
  }

  return {
    actor,
    bot,
    store,
    config,
    appUrl,
    settle,
    async detach() {
      await bot.stop();
      await store.close();
    },
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? new SteerableClock();
  const emulator = await SlackEmulator.start({ botToken: SANDBOX_BOT_TOKEN, appToken: SANDBOX_APP_TOKEN, teamId: options.teamId ?? 'T0SANDBOX', clock });
  const announceChannelId = options.announceChannelName ? emulator.createChannel({ name: options.announceChannelName, members: [emulator.identity.botUserId] }).id : undefined;
  const sqlitePath = options.sqlitePath ?? join(mkdtempSync(join(tmpdir(), 'incident-sandbox-')), 'incidents.db');
  const attached = await attachBot(emulator, clock, { ...options, sqlitePath, ...(announceChannelId ? { announceChannelId } : {}) });
  return {
    ...attached,
    emulator,
    clock,
    async stop() {
      await attached.detach();
      await emulator.stop();
    },
  };
}
