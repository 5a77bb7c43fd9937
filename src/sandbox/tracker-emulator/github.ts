import { gitHubRoute, type GitHubContext } from './github-api';
import { badCredentials, primaryRateLimit, statusReply } from './github-errors';
import { GitHubStore, type StoredGitHubIssue } from './github-store';
import { customFailureReply, header, TrackerServer, type FailurePlan, type Reply, type Request } from './server';
import type { CallMatcher, EmulatedGitHubIssue, GitHubEmulatorOptions, GitHubFailure, TrackerCall } from './types';

function copy(issue: StoredGitHubIssue): EmulatedGitHubIssue {
  const { updatedAt: _updatedAt, ...rest } = issue;
  return { ...rest, labels: [...issue.labels], assignees: [...issue.assignees] };
}

/**
 * GitHub's REST API for issues, in memory behind a real HTTP server on 127.0.0.1, for tests and
 * the offline demo. `apiUrl` plays `https://api.github.com`; issues' html_url point at
 * `${origin}/web/...`, where github.com would be. Every answer carries the x-ratelimit-* headers.
 * Error bodies and their sources: github-errors.ts.
 */
export class GitHubEmulator {
  private readonly store: GitHubStore;
  private readonly server: TrackerServer<GitHubFailure>;
  private readonly now: () => number;
  private requests = 0;

  private constructor(private readonly options: GitHubEmulatorOptions) {
    this.now = options.now ?? Date.now;
    this.store = new GitHubStore(options, this.now);
    this.server = new TrackerServer('GitHub', {
      route: (request) => this.route(request),
      plan: (failure) => this.plan(failure),
      errorReply: (status) => statusReply(status),
    });
  }

  static async start(options: GitHubEmulatorOptions): Promise<GitHubEmulator> {
    if (!options.token) throw new Error('A GitHub emulator needs a token');
    const emulator = new GitHubEmulator(options);
    await emulator.server.start();
    return emulator;
  }

  /** What the API URL setting should be (in place of https://api.github.com). */
  get apiUrl(): string {
    return this.server.origin;
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

  /** Issues oldest first, of one repository or all. */
  issues(repo?: string): EmulatedGitHubIssue[] {
    const issues = repo === undefined ? this.store.all() : this.existingRepo(repo).issues;
    return issues.map(copy);
  }

  /** A person closes the issue (not logged as an API call). */
  close(repo: string, number: number, reason: 'completed' | 'not_planned'): void {
    this.store.close(this.existing(repo, number), reason);
  }

  /** A person reopens the issue; GitHub then reports state_reason "reopened". */
  reopen(repo: string, number: number): void {
    this.store.reopen(this.existing(repo, number));
  }

  /**
   * The next `times` matching requests fail, before authentication and before anything is
   * applied (`{ status }`, `{ rateLimited }`), or after the request was applied (`{ afterCommit }`).
   * A 403 with `retryAfter`, or a 429, gets the secondary-rate-limit body.
   */
  failNext(matcher: CallMatcher, failure: GitHubFailure, times = 1): void {
    this.server.failNext(matcher, failure, times);
  }

  private existingRepo(repo: string) {
    const found = this.store.repo(repo);
    if (!found) throw new Error(`No repository ${repo} in the emulated GitHub`);
    return found;
  }

  private existing(repo: string, number: number): StoredGitHubIssue {
    const issue = this.existingRepo(repo).issues.find((i) => i.number === number);
    if (!issue) throw new Error(`No issue #${number} in ${repo} in the emulated GitHub`);
    return issue;
  }

  private plan(failure: GitHubFailure): FailurePlan {
    if ('afterCommit' in failure) return { afterCommit: failure.afterCommit.status };
    if ('rateLimited' in failure) {
      const { resetInSeconds, status = 403 } = failure.rateLimited;
      return { reply: primaryRateLimit(status, Math.ceil(this.now() / 1000 + resetInSeconds)) };
    }
    const headers: Record<string, string> = failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter };
    return { reply: customFailureReply(failure.status, failure.body, headers, statusReply(failure.status, failure.retryAfter)) };
  }

  private withRateHeaders(reply: Reply): Reply {
    this.requests += 1;
    const reset = String(Math.ceil(this.now() / 1000 / 3600) * 3600);
    const rate = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(0, 5000 - this.requests)),
      'x-ratelimit-reset': reset,
      'x-ratelimit-used': String(this.requests),
      'x-ratelimit-resource': 'core',
    };
    return { ...reply, headers: { ...rate, 'x-github-api-version-selected': '2022-11-28', ...reply.headers } };
  }

  private route(request: Request): Reply {
    const token = /^(?:Bearer|token)\s+(\S+)$/i.exec(header(request, 'authorization') ?? '')?.[1];
    if (token !== this.options.token) return badCredentials();
    const ctx: GitHubContext = { store: this.store, apiUrl: this.apiUrl, webUrl: `${this.server.origin}/web` };
    return this.withRateHeaders(gitHubRoute(ctx, request));
  }
}
