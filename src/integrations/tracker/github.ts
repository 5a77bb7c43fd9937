// GitHub Issues (REST, a token with issues: write). GitHub has no per-issue search that sees a
// brand-new issue at once (the search index lags), so the marker lives in the issue body as an
// HTML comment and is found by listing the newest issues that carry the bot's first label.

import { z } from 'zod';

import type { IssueTracker, NewTicket, PageLink, TicketState, TrackerTicket } from '../../ports/issue-tracker';
import { singleLine, toGitHubMarkdown } from './formats';
import { TrackerHttp, type TrackerHttpOptions } from './tracker-http';

export interface GitHubSettings {
  /** `https://api.github.com`, or `https://<host>/api/v3` on GitHub Enterprise Server. */
  apiUrl: string;
  /** owner/name */
  repository: string;
  token: string;
  /** A label every ticket of the bot carries: the marker search lists only these. */
  findLabel?: string;
}

const TITLE_MAX = 256;
/** A lost answer is retried within the effect's budget, so the issue is among the newest few hundred. */
const PAGES_SEARCHED = 3;

const issueSchema = z.object({
  number: z.number(),
  html_url: z.string(),
  state: z.string(),
  state_reason: z.string().nullish(),
  body: z.string().nullish(),
  pull_request: z.unknown().optional(),
});
type GitHubIssue = z.infer<typeof issueSchema>;

export function gitHubState(issue: Pick<GitHubIssue, 'state' | 'state_reason'>): TicketState {
  if (issue.state !== 'closed') return 'open';
  return issue.state_reason === 'not_planned' ? 'wont_do' : 'done';
}

export function markerComment(marker: string): string {
  return `<!-- incident-commander: ${marker} -->`;
}

export class GitHubTracker implements IssueTracker {
  readonly name = 'GitHub';
  private readonly http: TrackerHttp;

  constructor(
    private readonly settings: GitHubSettings,
    options: TrackerHttpOptions = {},
  ) {
    const authorization = `Bearer ${settings.token}`;
    this.http = new TrackerHttp(
      'GitHub',
      {
        baseUrl: settings.apiUrl,
        authorization,
        secrets: [settings.token, authorization],
        headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
      },
      options,
    );
  }

  private get repo(): string {
    return `/repos/${this.settings.repository}`;
  }

  private ticket(issue: GitHubIssue): TrackerTicket {
    return { key: `#${issue.number}`, url: issue.html_url, state: gitHubState(issue), statusName: issue.state_reason ? `${issue.state} (${issue.state_reason})` : issue.state };
  }

  async findByMarker(marker: string): Promise<TrackerTicket | undefined> {
    const comment = markerComment(marker);
    for (let page = 1; page <= PAGES_SEARCHED; page++) {
      const query = {
        state: 'all',
        per_page: '100',
        page: String(page),
        sort: 'created',
        direction: 'desc',
        ...(this.settings.findLabel ? { labels: this.settings.findLabel } : {}),
      };
      const { body, headers } = await this.http.requestWithHeaders('GET', `${this.repo}/issues`, { query });
      const issues = this.http.parse(z.array(issueSchema), body, 'list issues');
      const found = issues.find((issue) => !issue.pull_request && (issue.body ?? '').includes(comment));
      if (found) return this.ticket(found);
      if (!/rel="next"/.test(headers.get('link') ?? '')) return undefined;
    }
    return undefined;
  }

  async create(ticket: NewTicket): Promise<TrackerTicket> {
    const body = {
      title: singleLine(ticket.summary, TITLE_MAX),
      body: `${toGitHubMarkdown(ticket.description)}\n\n${markerComment(ticket.marker)}`,
      labels: [...ticket.labels],
      ...(ticket.assignee ? { assignees: [ticket.assignee] } : {}),
    };
    return this.ticket(this.http.parse(issueSchema, await this.http.request('POST', `${this.repo}/issues`, { body, retry: false }), 'create issue'));
  }

  private async issue(key: string): Promise<GitHubIssue | undefined> {
    const number = /^#?(\d+)$/.exec(key)?.[1];
    if (!number) return undefined;
    const body = await this.http.requestIfFound('GET', `${this.repo}/issues/${number}`);
    return body === undefined ? undefined : this.http.parse(issueSchema, body, 'issue');
  }

  async get(key: string): Promise<TrackerTicket | undefined> {
    const issue = await this.issue(key);
    return issue ? this.ticket(issue) : undefined;
  }

  /**
   * GitHub issues have no link list: the link is a paragraph appended to the body, written only when
   * the body does not carry it yet. What people wrote in the body stays.
   */
  async linkPage(key: string, page: PageLink): Promise<boolean> {
    const issue = await this.issue(key);
    if (!issue) return false;
    const paragraph = toGitHubMarkdown([{ label: page.title, url: page.url }]);
    const body = issue.body ?? '';
    if (body.includes(paragraph)) return true;
    await this.http.request('PATCH', `${this.repo}/issues/${issue.number}`, { body: { body: body ? `${body}\n\n${paragraph}` : paragraph } });
    return true;
  }

  /** GitHub does not look people up by email: the configured mapping names their logins. */
  async userForEmail(): Promise<string | undefined> {
    return undefined;
  }
}
