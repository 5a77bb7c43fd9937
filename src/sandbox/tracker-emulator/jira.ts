import { cloudRoutes } from './jira-cloud';
import { dcRoutes } from './jira-dc';
import { jiraError, SEARCH_REMOVED, statusReply, unauthorized } from './jira-errors';
import type { JsonContext } from './jira-json';
import { jiraRoute } from './jira-routes';
import { JiraStore, type StoredIssue } from './jira-store';
import { customFailureReply, header, TrackerServer, type FailurePlan, type Reply, type Request } from './server';
import type { CallMatcher, EmulatedJiraIssue, JiraEmulatorOptions, JiraTransition, TrackerCall, TrackerFailure } from './types';

const API = { cloud: '/rest/api/3', datacenter: '/rest/api/2' } as const;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]+$/;

function copy(issue: StoredIssue): EmulatedJiraIssue {
  return {
    id: issue.id,
    key: issue.key,
    projectKey: issue.projectKey,
    summary: issue.summary,
    description: structuredClone(issue.description),
    issueType: issue.issueType,
    labels: [...issue.labels],
    ...(issue.assigneeId === undefined ? {} : { assigneeId: issue.assigneeId }),
    status: issue.status,
    statusCategory: issue.statusCategory,
    ...(issue.resolution === undefined ? {} : { resolution: issue.resolution }),
    createdAt: issue.createdAt,
    remoteLinks: issue.remoteLinks.map((link) => ({ ...link })),
  };
}

function checkOptions(options: JiraEmulatorOptions): void {
  if (options.deployment === 'cloud' && !options.cloud) throw new Error('A Jira Cloud emulator needs cloud: { email, apiToken }');
  if (options.deployment === 'datacenter' && !options.datacenter) throw new Error('A Jira Data Center emulator needs datacenter: { personalAccessToken }');
  if (options.deployment === 'cloud' && options.contextPath) throw new Error('Jira Cloud has no context path');
  for (const { key } of options.projects ?? [])
    if (!PROJECT_KEY.test(key)) throw new Error(`Jira project keys are upper-case letters, digits and _, starting with a letter: ${key}`);
  if (options.projects?.length === 0) throw new Error('The emulated Jira needs at least one project');
}

/**
 * A Jira site in memory behind a real HTTP server on 127.0.0.1: Cloud's REST API v3 (Basic e-mail
 * and API token, ADF descriptions, /search/jql) or Data Center's REST API v2 (Bearer personal
 * access token, wiki-markup descriptions, /search), for tests and the offline demo.
 *
 * JIRA_BASE_URL is `baseUrl`: the origin on Cloud, the origin plus any context path on Data Center.
 * Error bodies and their sources: jira-errors.ts.
 */
export class JiraEmulator {
  private readonly store: JiraStore;
  private readonly server: TrackerServer<TrackerFailure>;

  private constructor(private readonly options: JiraEmulatorOptions) {
    this.store = new JiraStore(options, options.now ?? Date.now);
    this.server = new TrackerServer('Jira', {
      route: (request) => this.route(request),
      plan: (failure) => this.plan(failure),
      errorReply: (status) => statusReply(options.deployment, status),
    });
  }

  static async start(options: JiraEmulatorOptions): Promise<JiraEmulator> {
    checkOptions(options);
    const emulator = new JiraEmulator(options);
    await emulator.server.start();
    return emulator;
  }

  get deployment(): JiraEmulatorOptions['deployment'] {
    return this.options.deployment;
  }

  /** What JIRA_BASE_URL should be set to (see the class comment). */
  get baseUrl(): string {
    return `${this.server.origin}${this.contextPath}`;
  }

  /** Every request so far, oldest first. Credentials (and queries) are never recorded. */
  /** Hears each call once carried out, before its answer goes out; returns the unsubscribe. */
  onCall(listener: (call: TrackerCall) => void): () => void {
    return this.server.onCall(listener);
  }

  get calls(): TrackerCall[] {
    return this.server.calls;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Every issue not deleted, oldest first. */
  issues(): EmulatedJiraIssue[] {
    return this.store.all().map(copy);
  }

  /** A person moves the issue through its workflow (not logged as an API call). */
  transition(key: string, to: JiraTransition): void {
    this.store.transition(key, to);
  }

  /** A person deletes the issue: reads answer 404 and searches no longer find it. */
  deleteIssue(key: string): void {
    this.store.delete(key);
  }

  /**
   * The next `times` matching requests fail: `{ status }` before authentication and before anything
   * is applied, as a proxy or rate limiter would; `{ afterCommit }` after the request was applied.
   */
  failNext(matcher: CallMatcher, failure: TrackerFailure, times = 1): void {
    this.server.failNext(matcher, failure, times);
  }

  private get contextPath(): string {
    const path = this.options.contextPath ?? '';
    return path ? `/${path.replace(/^\/+|\/+$/g, '')}` : '';
  }

  private plan(failure: TrackerFailure): FailurePlan {
    if ('afterCommit' in failure) return { afterCommit: failure.afterCommit.status };
    const headers: Record<string, string> = failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter };
    return { reply: customFailureReply(failure.status, failure.body, headers, statusReply(this.options.deployment, failure.status)) };
  }

  private authenticated(authorization: string): boolean {
    if (this.options.deployment === 'cloud') {
      const encoded = /^Basic\s+(\S+)$/i.exec(authorization)?.[1];
      const { email, apiToken } = this.options.cloud ?? { email: '', apiToken: '' };
      return encoded !== undefined && Buffer.from(encoded, 'base64').toString('utf8') === `${email}:${apiToken}`;
    }
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    return token !== undefined && token === this.options.datacenter?.personalAccessToken;
  }

  private route(request: Request): Reply {
    const { deployment } = this.options;
    const authorization = header(request, 'authorization') ?? '';
    if (!this.authenticated(authorization)) {
      // Credentials of the deployment's scheme that did not match, or none (or another scheme).
      const scheme = deployment === 'cloud' ? /^Basic\s/i : /^Bearer\s/i;
      return unauthorized(deployment, scheme.test(authorization));
    }
    if (!request.path.startsWith(`${this.contextPath}/`)) return jiraError(404, [`Nothing at ${request.path}: the site is at ${this.contextPath} (wording ours).`]);
    const path = request.path.slice(this.contextPath.length);
    // Cloud removed both versions' classic search; the emulator serves v3 only.
    if (deployment === 'cloud' && path === '/rest/api/2/search') return jiraError(410, [SEARCH_REMOVED]);
    const api = API[deployment];
    if (!path.startsWith(`${api}/`)) return jiraError(404, [`The emulated Jira ${deployment === 'cloud' ? 'Cloud' : 'Data Center'} serves ${api} only (wording ours).`]);
    const ctx: JsonContext = { deployment, base: this.baseUrl, api, store: this.store };
    return jiraRoute(ctx, deployment === 'cloud' ? cloudRoutes : dcRoutes, request, path.slice(api.length));
  }
}
