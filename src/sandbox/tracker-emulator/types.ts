// The emulated trackers' options and records. Plain data, so tests can assert on them directly;
// each API's JSON shapes are built from them in jira-json.ts and github-api.ts.

export type JiraDeployment = 'cloud' | 'datacenter';
export type StatusCategory = 'new' | 'indeterminate' | 'done';

export interface JiraEmulatorOptions {
  deployment: JiraDeployment;
  /** Cloud: requests must carry `Authorization: Basic base64(email:apiToken)`. */
  cloud?: { email: string; apiToken: string };
  /** Data Center: requests must carry `Authorization: Bearer <personalAccessToken>`. */
  datacenter?: { personalAccessToken: string };
  /** Data Center only: the site is mounted below the root, e.g. `/jira`. */
  contextPath?: string;
  /** Default: one project, OPS, with the issue types Task and Bug. */
  projects?: { key: string; issueTypes?: string[] }[];
  /** `id` is the accountId (Cloud) or the user name (Data Center). */
  users?: { id: string; email: string; displayName: string }[];
  /** Epoch milliseconds; defaults to the wall clock (a steerable clock's `now` fits). */
  now?: () => number;
}

export interface EmulatedJiraIssue {
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  /** ADF object (Cloud) or wiki-markup string (Data Center), exactly as sent; null when none. */
  description: unknown;
  issueType: string;
  labels: string[];
  assigneeId?: string;
  status: string;
  statusCategory: StatusCategory;
  resolution?: string;
  /** ISO timestamp. */
  createdAt: string;
  /** Links to pages elsewhere (a postmortem in Confluence), oldest first. */
  remoteLinks: EmulatedRemoteLink[];
}

export interface EmulatedRemoteLink {
  id: number;
  /** The caller's id for the linked item; a second POST with it updates the link. */
  globalId?: string;
  url: string;
  title: string;
  relationship?: string;
}

export interface JiraTransition {
  status: string;
  category: StatusCategory;
  /** Usually set when moving to a done status; cleared when omitted. */
  resolution?: string;
}

export interface GitHubEmulatorOptions {
  /** Requests must carry `Authorization: Bearer <token>` or `token <token>`. */
  token: string;
  /** `owner/name`; default `['acme/ops']`. */
  repos?: string[];
  /** Logins that may be assigned (GitHub allows collaborators only); default none. */
  users?: string[];
  /** Epoch milliseconds; defaults to the wall clock. */
  now?: () => number;
}

export type GitHubStateReason = 'completed' | 'not_planned' | 'reopened';

export interface EmulatedGitHubIssue {
  /** `owner/name` as configured. */
  repo: string;
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: GitHubStateReason | null;
  labels: string[];
  assignees: string[];
  /** ISO timestamps. */
  createdAt: string;
  closedAt?: string;
}

/** One request as an emulator saw it. Headers, queries and bodies are never kept, so no credential is. */
export interface TrackerCall {
  method: string;
  /** Path below the host without the query string (a Data Center context path included). */
  path: string;
  status: number;
}

export type { CallMatcher } from '../emulated-http/failures';

/**
 * What the next matching request gets. `{ status }` answers before anything is applied (a gateway
 * or rate limiter refusing it), with `retryAfter` as the Retry-After header and `body` replacing
 * the service's usual error body (a string is sent as text). `afterCommit` applies the request
 * first and then answers with that status: the answer is lost, the change is not.
 */
export type TrackerFailure = { status: number; retryAfter?: string; body?: unknown } | { afterCommit: { status: number } };

/** GitHub's primary rate limit: 403 (or 429) with `x-ratelimit-remaining: 0` and the reset time. */
export type GitHubFailure = TrackerFailure | { rateLimited: { resetInSeconds: number; status?: 403 | 429 } };
