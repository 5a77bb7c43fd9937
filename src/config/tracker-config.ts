// Follow-up tickets: which tracker (TRACKER=jira|github), how to reach it, and what tickets carry.
// Off when TRACKER is unset. Once it is set, everything the tracker needs must be there and valid:
// startup stops with one line per missing or bad variable, never echoing a secret.

import { z } from 'zod';

import type { GitHubSettings } from '../integrations/tracker/github';
import type { JiraSettings } from '../integrations/tracker/jira';
import { inferDeployment } from './confluence-config';
import { parseDuration } from './duration';

export const DEFAULT_SYNC_EVERY = '6h';
/** Sooner than 5 minutes hammers the tracker for nothing a postmortem reader needs; a day at most. */
const SYNC_BOUNDS = { minMs: 5 * 60_000, maxMs: 24 * 60 * 60_000 };

export interface TrackerCommon {
  /** Every ticket carries these (the first finds GitHub tickets again). */
  labels: string[];
  /** Slack email (lower case) → tracker user id, before asking the tracker. */
  assignees: ReadonlyMap<string, string>;
  /** Who gets an item nobody owns or whose owner the tracker does not know; unassigned when unset. */
  defaultAssignee?: string;
  /** Create a ticket for every action item without one when the incident closes. */
  autoCreate: boolean;
  /** How often an incident's open tickets are read back from the tracker; undefined when off. */
  syncEveryMs?: number;
}

export type TrackerConfig = ({ enabled: true } & TrackerCommon & ({ kind: 'jira'; jira: JiraSettings } | { kind: 'github'; github: GitHubSettings })) | { enabled: false };

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** Fields of the startup schema (config.ts spreads them in). */
export const trackerEnv = {
  TRACKER: z.enum(['jira', 'github', ''], { error: 'must be jira or github (or unset)' }).optional(),
  JIRA_BASE_URL: optional.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: 'must be the site URL, e.g. https://acme.atlassian.net or https://jira.example.com',
  }),
  JIRA_DEPLOYMENT: z.enum(['cloud', 'datacenter'], { error: 'must be cloud or datacenter' }).optional(),
  JIRA_EMAIL: optional,
  JIRA_API_TOKEN: optional,
  JIRA_PERSONAL_ACCESS_TOKEN: optional,
  JIRA_PROJECT_KEY: optional.refine((v) => v === undefined || /^[A-Z][A-Z0-9_]{0,49}$/.test(v), { message: 'must be a project key such as OPS' }),
  JIRA_ISSUE_TYPE: z.string().trim().min(1).max(60).default('Task'),
  GITHUB_REPOSITORY: optional.refine((v) => v === undefined || /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(v), { message: 'must be owner/name, e.g. acme/ops' }),
  GITHUB_TOKEN: optional,
  GITHUB_API_URL: optional.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), { message: 'must be an http(s) URL, e.g. https://github.example.com/api/v3' }),
  TRACKER_LABELS: z
    .string()
    .trim()
    .default('incident-follow-up')
    .refine((v) => v.split(',').every((label) => /^[A-Za-z0-9._:-]{1,50}$/.test(label.trim())), {
      message: 'must be comma-separated labels without spaces, such as incident-follow-up,postmortem',
    }),
  TRACKER_ASSIGNEES: optional.refine((v) => v === undefined || v.split(',').every((pair) => /^[^\s=,]+@[^\s=,]+=[^\s=,]+$/.test(pair.trim())), {
    message: 'must be email=tracker-user pairs such as erin@acme.com=5b10ac8d82e05b22cc7d4ef5,bob@acme.com=bob',
  }),
  TRACKER_DEFAULT_ASSIGNEE: optional,
  TRACKER_AUTO_CREATE: z
    .enum(['true', 'false', ''], { error: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
  TRACKER_SYNC_EVERY: optional.transform((v, ctx) => {
    const text = (v ?? DEFAULT_SYNC_EVERY).toLowerCase();
    if (text === 'off') return undefined;
    const ms = parseDuration(text, SYNC_BOUNDS);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: 'must be a duration from 5m to 24h, such as 6h, or off' });
    return ms;
  }),
};

type TrackerEnv = z.infer<z.ZodObject<typeof trackerEnv>>;

/** The tracker's settings, or the problems that stop startup. */
export function trackerConfig(e: TrackerEnv): { config: TrackerConfig; problems: string[] } {
  if (!e.TRACKER) return { config: { enabled: false }, problems: [] };
  const problems: string[] = [];
  const need = (name: keyof TrackerEnv, value: string | undefined, why: string): string => {
    if (!value) problems.push(`${name} is required when TRACKER=${e.TRACKER} (${why})`);
    return value ?? '';
  };
  const common: TrackerCommon = {
    labels: e.TRACKER_LABELS.split(',').map((l) => l.trim()),
    assignees: new Map(
      (e.TRACKER_ASSIGNEES ?? '')
        .split(',')
        .filter((pair) => pair.trim())
        .map((pair) => {
          const [email = '', user = ''] = pair.trim().split('=');
          return [email.toLowerCase(), user] as const;
        }),
    ),
    ...(e.TRACKER_DEFAULT_ASSIGNEE ? { defaultAssignee: e.TRACKER_DEFAULT_ASSIGNEE } : {}),
    autoCreate: e.TRACKER_AUTO_CREATE,
    ...(e.TRACKER_SYNC_EVERY !== undefined ? { syncEveryMs: e.TRACKER_SYNC_EVERY } : {}),
  };
  if (e.TRACKER === 'github') {
    const github: GitHubSettings = {
      apiUrl: (e.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
      repository: need('GITHUB_REPOSITORY', e.GITHUB_REPOSITORY, 'owner/name of the repository'),
      token: need('GITHUB_TOKEN', e.GITHUB_TOKEN, 'a token that may write issues'),
      ...(common.labels[0] ? { findLabel: common.labels[0] } : {}),
    };
    return { config: { enabled: true, kind: 'github', github, ...common }, problems };
  }
  const baseUrl = need('JIRA_BASE_URL', e.JIRA_BASE_URL, 'the site URL').replace(/\/+$/, '');
  const deployment = e.JIRA_DEPLOYMENT ?? (baseUrl ? inferDeployment(baseUrl) : 'cloud');
  const jira: JiraSettings = {
    deployment,
    baseUrl,
    projectKey: need('JIRA_PROJECT_KEY', e.JIRA_PROJECT_KEY, 'where tickets are created'),
    issueType: e.JIRA_ISSUE_TYPE,
    ...(deployment === 'cloud'
      ? { email: need('JIRA_EMAIL', e.JIRA_EMAIL, 'Jira Cloud signs in with email + API token'), apiToken: need('JIRA_API_TOKEN', e.JIRA_API_TOKEN, 'Jira Cloud API token') }
      : { personalAccessToken: need('JIRA_PERSONAL_ACCESS_TOKEN', e.JIRA_PERSONAL_ACCESS_TOKEN, 'Jira Data Center personal access token') }),
  };
  return { config: { enabled: true, kind: 'jira', jira, ...common }, problems };
}

/** Every form the tracker's credentials take, for the log redaction. */
export function trackerSecrets(config: TrackerConfig): string[] {
  if (!config.enabled) return [];
  if (config.kind === 'github') return [config.github.token];
  const { email, apiToken, personalAccessToken } = config.jira;
  const basic = email && apiToken ? Buffer.from(`${email}:${apiToken}`).toString('base64') : undefined;
  return [apiToken, personalAccessToken, basic].filter((s): s is string => !!s);
}
