// Configuration is read once at startup from the environment and validated with zod. A bad value
// stops startup with one line per problem naming the variable — never echoing a secret's value.

import { z } from 'zod';

import { validateChannelPrefix } from '../domain/channel-name';
import { confluenceConfig, type ConfluenceConfig } from './confluence-config';
import { DEFAULT_LEASE_MS, DEFAULT_RETRY_BUDGET_MS } from '../usecases/effects/outbox-defaults';
import { parseDuration } from './duration';
import { reminderEnv, reminderSettings } from './reminder-config';
import { trackerConfig, trackerEnv, trackerSecrets, type TrackerConfig } from './tracker-config';
import type { ReminderSettings } from '../domain/reminders';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * A claim on pending Slack work lasts this long unless renewed: long enough that a stalled event
 * loop or a slow store does not lose it, short enough that a crashed process's work resumes soon.
 */
const EFFECT_LEASE = { minMs: 1_000, maxMs: 10 * 60_000 };

/** Transient failures (Slack 5xx, 429, network) are retried this long before an effect is given up. */
const EFFECT_RETRY_BUDGET = { minMs: 60_000, maxMs: 24 * 60 * 60_000 };
/** Archiving sooner than a minute after close leaves no time to read the postmortem link; 30 days at most. */
const ARCHIVE_AFTER = { minMs: 60_000, maxMs: 720 * 60 * 60_000 };

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'is required (the Bot User OAuth Token, xoxb-…)' })
    .trim()
    .regex(/^xoxb-/, 'must be a bot token starting with xoxb- (a user token, xoxp-, acts as a person)'),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), {
    message: 'must be an app-level token starting with xapp- (or be unset for HTTP mode)',
  }),
  SLACK_API_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/.+\/$/.test(v), {
    message: 'must be an http(s) URL ending with / (e.g. https://slack.com/api/)',
  }),
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  HOST: optionalString,
  INCIDENT_TIMEZONE: z.string().trim().default('UTC').refine(isTimeZone, { message: 'must be an IANA time zone such as Africa/Nairobi or Europe/Berlin' }),
  MONGODB_URI: optionalString.refine((v) => v === undefined || /^mongodb(\+srv)?:\/\/.+/.test(v), {
    message: 'must be a MongoDB connection string (mongodb:// or mongodb+srv://)',
  }),
  SQLITE_PATH: z.string().trim().min(1, 'must not be empty').default('./data/incidents.db'),
  INCIDENT_CHANNEL_PREFIX: z
    .string()
    .trim()
    .default('inc')
    .superRefine((v, ctx) => {
      const problem = validateChannelPrefix(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  INCIDENT_ANNOUNCE_CHANNEL: optionalString.refine((v) => v === undefined || /^[CG][A-Z0-9]+$/.test(v), {
    message: 'must be a channel id such as C0123456789 (right-click the channel → Copy link)',
  }),
  ESCALATION_POLICIES_FILE: optionalString,
  CONFLUENCE_BASE_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: 'must be the site URL, e.g. https://acme.atlassian.net (Cloud) or https://confluence.example.com (Data Center)',
  }),
  CONFLUENCE_DEPLOYMENT: z.enum(['cloud', 'datacenter']).optional(),
  CONFLUENCE_SPACE_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9~_-]+$/.test(v), { message: 'must be a space key such as ENG' }),
  CONFLUENCE_PARENT_PAGE_ID: optionalString.refine((v) => v === undefined || /^\d+$/.test(v), { message: 'must be a numeric page id' }),
  CONFLUENCE_EMAIL: optionalString,
  CONFLUENCE_API_TOKEN: optionalString,
  CONFLUENCE_PERSONAL_ACCESS_TOKEN: optionalString,
  CONFLUENCE_AUTO_EXPORT: z
    .enum(['true', 'false', ''], { error: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
  SLACK_ALLOWED_TEAM_IDS: optionalString.refine((v) => v === undefined || v.split(',').every((id) => /^[TE][A-Z0-9]+$/.test(id.trim())), {
    message: 'must be a comma-separated list of workspace (T…) or organisation (E…) ids',
  }),
  INCIDENT_CONTROL: z.enum(['anyone', 'responders'], { error: 'must be anyone or responders' }).default('anyone'),
  INCIDENT_RESPONDER_GROUPS: optionalString.refine((v) => v === undefined || v.split(',').every((id) => /^S[A-Z0-9]+$/.test(id.trim())), {
    message: 'must be a comma-separated list of user group ids (S…)',
  }),
  INCIDENT_EFFECT_LEASE: optionalString.transform((v, ctx) => {
    const ms = v === undefined ? DEFAULT_LEASE_MS : parseDuration(v, EFFECT_LEASE);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: 'must be a duration from 1s to 10m, such as 15s' });
    return ms ?? 0;
  }),
  INCIDENT_EFFECT_RETRY_BUDGET: optionalString.transform((v, ctx) => {
    const ms = v === undefined ? DEFAULT_RETRY_BUDGET_MS : parseDuration(v, EFFECT_RETRY_BUDGET);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: 'must be a duration from 1m to 24h, such as 30m' });
    return ms ?? 0;
  }),
  INCIDENT_ARCHIVE_AFTER: optionalString.transform((v, ctx) => {
    const text = (v ?? 'off').toLowerCase();
    if (text === 'off') return undefined;
    const ms = parseDuration(text, ARCHIVE_AFTER);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: 'must be a duration from 1m to 720h (30 days), such as 72h, or off' });
    return ms;
  }),
  ...reminderEnv,
  ...trackerEnv,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
});

export interface AppConfig {
  slack: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    /** Socket Mode when an app-level token is configured; HTTP otherwise. */
    socketMode: boolean;
  };
  port: number;
  /** Interface to listen on (all when unset); tests use 127.0.0.1. */
  host?: string;
  timeZone: string;
  sqlite: { path: string; synchronous: 'FULL' | 'NORMAL' };
  /** When set, MongoDB (through mongoose) is the store instead of the embedded SQLite file. */
  mongodbUri?: string;
  channelPrefix: string;
  announceChannelId?: string;
  /** YAML or JSON file with escalation policies; none when unset. */
  escalationPoliciesFile?: string;
  confluence: ConfluenceConfig;
  /** Requests from other workspaces are refused; every workspace is allowed when empty. */
  allowedTeamIds: string[];
  /** Who may close, resolve, change severity and escalate. */
  control: { mode: 'anyone' } | { mode: 'responders'; groupIds: string[] };
  /**
   * How long a claim on a pending effect lasts unless renewed (ms); the effect runner renews it while
   * the effect runs. Unset: the runner's default.
   */
  effectLeaseMs?: number;
  /** How long an effect's transient failures are retried from its first attempt (ms). */
  effectRetryBudgetMs?: number;
  /** Update cadence per severity, and the roles and severity nudges. */
  reminders: ReminderSettings;
  /** How long after close the incident channel is archived; never when unset. */
  archiveAfterMs?: number;
  /** Follow-up tickets in Jira or GitHub; off unless TRACKER is set. */
  tracker: TrackerConfig;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // zod messages name the rule, never the received value, so secrets cannot leak here.
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`));
  }
  const e = parsed.data;
  const socketMode = e.SLACK_APP_TOKEN !== undefined;
  if (!socketMode && !e.SLACK_SIGNING_SECRET) {
    throw new ConfigError(['SLACK_SIGNING_SECRET is required in HTTP mode (Basic Information → Signing Secret), or set SLACK_APP_TOKEN for Socket Mode']);
  }
  const tracker = trackerConfig(e);
  if (tracker.problems.length > 0) throw new ConfigError(tracker.problems);
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      socketMode,
    },
    port: e.PORT,
    ...(e.HOST ? { host: e.HOST } : {}),
    timeZone: e.INCIDENT_TIMEZONE,
    sqlite: { path: e.SQLITE_PATH, synchronous: e.SQLITE_SYNCHRONOUS },
    ...(e.MONGODB_URI ? { mongodbUri: e.MONGODB_URI } : {}),
    channelPrefix: e.INCIDENT_CHANNEL_PREFIX,
    announceChannelId: e.INCIDENT_ANNOUNCE_CHANNEL,
    ...(e.ESCALATION_POLICIES_FILE ? { escalationPoliciesFile: e.ESCALATION_POLICIES_FILE } : {}),
    confluence: confluenceConfig(e),
    allowedTeamIds: splitList(e.SLACK_ALLOWED_TEAM_IDS),
    control: e.INCIDENT_CONTROL === 'responders' ? { mode: 'responders', groupIds: splitList(e.INCIDENT_RESPONDER_GROUPS) } : { mode: 'anyone' },
    effectLeaseMs: e.INCIDENT_EFFECT_LEASE,
    effectRetryBudgetMs: e.INCIDENT_EFFECT_RETRY_BUDGET,
    ...(e.INCIDENT_ARCHIVE_AFTER !== undefined ? { archiveAfterMs: e.INCIDENT_ARCHIVE_AFTER } : {}),
    reminders: reminderSettings(e),
    tracker: tracker.config,
    logLevel: e.LOG_LEVEL,
  };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The password inside a MongoDB connection string, if any. */
function mongoPassword(uri: string | undefined): string | undefined {
  const match = uri ? /^mongodb(?:\+srv)?:\/\/[^:@/]*:([^@/]+)@/.exec(uri) : null;
  return match ? decodeURIComponent(match[1]) : undefined;
}

/** Values that must never appear in logs, messages or exports. */
export function secretsOf(config: AppConfig): string[] {
  const c = config.confluence.enabled ? config.confluence.settings : undefined;
  // The Basic auth header carries email:token in base64: that form must not leak either.
  const basic = c?.email && c.apiToken ? Buffer.from(`${c.email}:${c.apiToken}`).toString('base64') : undefined;
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    c?.apiToken,
    c?.personalAccessToken,
    basic,
    mongoPassword(config.mongodbUri),
    ...trackerSecrets(config.tracker),
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
}
