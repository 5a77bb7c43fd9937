// What the follow-up flow needs from the team's tracker. Three adapters implement it: Jira Cloud
// (REST v3), Jira Data Center (REST v2) and GitHub Issues; the flow never sees which one.

import type { TicketState } from '../domain/tickets';

export type { TicketState };

export interface TrackerTicket {
  /** "OPS-12", "#42". */
  key: string;
  /** Absolute URL a person can open. */
  url: string;
  state: TicketState;
  /** The tracker's own name for the state ("In Progress", "closed"). */
  statusName: string;
}

/**
 * A ticket to create. Texts are plain (no markup of any kind): each adapter renders them in its
 * tracker's format (ADF, wiki markup, Markdown) so that they show literally.
 */
export interface NewTicket {
  summary: string;
  description: DescriptionBlock[];
  /** Unique to the action item; found again after a create whose answer was lost. */
  marker: string;
  labels: readonly string[];
  /** The tracker's user id (Jira accountId or name, GitHub login). */
  assignee?: string;
}

export type DescriptionBlock = { text: string } | { label: string; url: string };

/** A page the ticket should point to (the postmortem). `id` is ours, stable per page: linking again changes nothing. */
export interface PageLink {
  id: string;
  url: string;
  title: string;
}

export interface IssueTracker {
  /** "Jira", "GitHub": how messages name it. */
  readonly name: string;
  /** A ticket created earlier for this marker (a retry after a lost answer), if any. */
  findByMarker(marker: string): Promise<TrackerTicket | undefined>;
  create(ticket: NewTicket): Promise<TrackerTicket>;
  /** The ticket's current state, or undefined when it no longer exists. */
  get(key: string): Promise<TrackerTicket | undefined>;
  /** Links the ticket to the page, once however often it is asked; false when the ticket no longer exists. */
  linkPage(key: string, page: PageLink): Promise<boolean>;
  /** The tracker user with this email address, if the tracker can tell. */
  userForEmail(email: string): Promise<string | undefined>;
}

export type TrackerErrorCode =
  | 'unauthorized' // 401: bad or expired credentials
  | 'forbidden' // 403: no permission in the project / repository
  | 'not_found'
  | 'rate_limited' // 429 (or GitHub's rate-limit 403) after the client's own retries
  | 'server_error'
  | 'network'
  | 'bad_request' // the tracker refused the ticket's fields (400, 422)
  | 'invalid_response';

/** An error from the tracker. Its message never contains credentials or request headers. */
export class TrackerError extends Error {
  constructor(
    readonly code: TrackerErrorCode,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TrackerError';
  }

  /** Worth trying again later (the effect runner backs off and retries, honouring retryAfterMs). */
  get transient(): boolean {
    return this.code === 'rate_limited' || this.code === 'server_error' || this.code === 'network';
  }
}
