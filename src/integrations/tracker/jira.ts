// Jira Cloud (REST v3, Basic email + API token, descriptions in ADF) and Jira Data Center (REST v2,
// Bearer personal access token, descriptions in wiki markup). One class: the two differ in the API
// version, the description format, how a user is named and the search endpoint.

import { z } from 'zod';

import type { IssueTracker, NewTicket, PageLink, TicketState, TrackerTicket } from '../../ports/issue-tracker';
import { singleLine, toAdf, toWikiMarkup } from './formats';
import { TrackerHttp, type TrackerHttpOptions } from './tracker-http';

export interface JiraSettings {
  deployment: 'cloud' | 'datacenter';
  /** Site root without a trailing slash; Data Center may include a context path. */
  baseUrl: string;
  projectKey: string;
  issueType: string;
  /** Cloud */
  email?: string;
  apiToken?: string;
  /** Data Center */
  personalAccessToken?: string;
}

/** Jira's summary limit. */
const SUMMARY_MAX = 255;
const FIELDS = ['status', 'resolution'];

const issueSchema = z.object({
  key: z.string(),
  fields: z.object({
    status: z.object({ name: z.string(), statusCategory: z.object({ key: z.string() }).optional() }),
    resolution: z.object({ name: z.string() }).nullish(),
  }),
});
type JiraIssue = z.infer<typeof issueSchema>;

// Resolutions a team uses for "we decided not to": Won't Do, Won't Fix, Declined, Duplicate, Cannot Reproduce.
const NOT_DONE = /won'?t|declin|duplicate|cannot reproduce|not a bug|rejected|obsolete/i;

export function jiraState(issue: JiraIssue): TicketState {
  if (issue.fields.status.statusCategory?.key !== 'done') return 'open';
  return NOT_DONE.test(issue.fields.resolution?.name ?? '') ? 'wont_do' : 'done';
}

export class JiraTracker implements IssueTracker {
  readonly name = 'Jira';
  private readonly http: TrackerHttp;
  private readonly api: string;

  constructor(
    private readonly settings: JiraSettings,
    options: TrackerHttpOptions = {},
  ) {
    const cloud = settings.deployment === 'cloud';
    this.api = cloud ? '/rest/api/3' : '/rest/api/2';
    const token = (cloud ? settings.apiToken : settings.personalAccessToken) ?? '';
    const basic = Buffer.from(`${settings.email ?? ''}:${token}`).toString('base64');
    const authorization = cloud ? `Basic ${basic}` : `Bearer ${token}`;
    this.http = new TrackerHttp('Jira', { baseUrl: settings.baseUrl, authorization, secrets: [token, basic, authorization, `${settings.email ?? ''}:${token}`] }, options);
  }

  private get cloud(): boolean {
    return this.settings.deployment === 'cloud';
  }

  private ticket(issue: JiraIssue): TrackerTicket {
    return { key: issue.key, url: `${this.settings.baseUrl}/browse/${encodeURIComponent(issue.key)}`, state: jiraState(issue), statusName: issue.fields.status.name };
  }

  async findByMarker(marker: string): Promise<TrackerTicket | undefined> {
    const jql = `project = "${this.settings.projectKey}" AND labels = "${marker}"`;
    const body = this.cloud
      ? await this.http.request('POST', `${this.api}/search/jql`, { body: { jql, fields: FIELDS, maxResults: 5 } })
      : await this.http.request('GET', `${this.api}/search`, { query: { jql, fields: FIELDS.join(','), maxResults: '5' } });
    const found = this.http.parse(z.object({ issues: z.array(issueSchema) }), body, 'search');
    const first = found.issues[0];
    return first ? this.ticket(first) : undefined;
  }

  async create(ticket: NewTicket): Promise<TrackerTicket> {
    const fields = {
      project: { key: this.settings.projectKey },
      issuetype: { name: this.settings.issueType },
      summary: singleLine(ticket.summary, SUMMARY_MAX),
      description: this.cloud ? toAdf(ticket.description) : toWikiMarkup(ticket.description),
      // Jira labels are single words: the marker is one, configured ones were checked at startup.
      labels: [...new Set([...ticket.labels, ticket.marker])],
      ...(ticket.assignee ? { assignee: this.cloud ? { accountId: ticket.assignee } : { name: ticket.assignee } } : {}),
    };
    const created = this.http.parse(z.object({ key: z.string() }), await this.http.request('POST', `${this.api}/issue`, { body: { fields }, retry: false }), 'create issue');
    // A new issue is in its workflow's first status; read it rather than guess its name.
    return (await this.get(created.key)) ?? { key: created.key, url: `${this.settings.baseUrl}/browse/${created.key}`, state: 'open', statusName: 'Open' };
  }

  async get(key: string): Promise<TrackerTicket | undefined> {
    const body = await this.http.requestIfFound('GET', `${this.api}/issue/${encodeURIComponent(key)}`, { query: { fields: FIELDS.join(',') } });
    return body === undefined ? undefined : this.ticket(this.http.parse(issueSchema, body, 'issue'));
  }

  /** A remote link (shown under "Web links" in Cloud, "Links" in Data Center); its global id makes a repeat an update. */
  async linkPage(key: string, page: PageLink): Promise<boolean> {
    const body = { globalId: page.id.slice(0, 255), relationship: 'postmortem', object: { url: page.url, title: singleLine(page.title, SUMMARY_MAX) } };
    return (await this.http.requestIfFound('POST', `${this.api}/issue/${encodeURIComponent(key)}/remotelink`, { body })) !== undefined;
  }

  async userForEmail(email: string): Promise<string | undefined> {
    const users = this.cloud
      ? this.http.parse(
          z.array(z.object({ accountId: z.string(), emailAddress: z.string().optional(), active: z.boolean().optional() })),
          await this.http.request('GET', `${this.api}/user/search`, { query: { query: email } }),
          'user search',
        )
      : this.http.parse(
          z.array(z.object({ name: z.string(), emailAddress: z.string().optional(), active: z.boolean().optional() })),
          await this.http.request('GET', `${this.api}/user/search`, { query: { username: email } }),
          'user search',
        );
    const active = users.filter((u) => u.active !== false);
    // Cloud hides addresses by users' privacy settings: one result for the address is then the person.
    const match = active.find((u) => u.emailAddress?.toLowerCase() === email.toLowerCase()) ?? (active.length === 1 && !active[0]?.emailAddress ? active[0] : undefined);
    if (!match) return undefined;
    return 'accountId' in match ? match.accountId : match.name;
  }
}
