// What the export flow needs from Confluence. Two adapters implement it: Cloud (REST API v2) and
// Data Center / Server (REST API /rest/api/content). The flow never sees which one it talks to.

export interface ConfluencePage {
  id: string;
  title: string;
  /** Current version number (Confluence starts at 1). */
  version: number;
  /** Absolute URL a person can open. */
  url: string;
}

export interface ConfluencePages {
  readonly deployment: 'cloud' | 'datacenter';
  /** The page with its storage-format body, or undefined when it does not exist (deleted, or trashed). */
  getPage(pageId: string): Promise<(ConfluencePage & { body: string }) | undefined>;
  /** A current page in the configured space with exactly this title, with its storage-format body. */
  findPageByTitle(title: string): Promise<(ConfluencePage & { body: string }) | undefined>;
  /** Creates a page in the configured space (under the configured parent, if any). */
  createPage(input: { title: string; body: string }): Promise<ConfluencePage>;
  /** Writes a new version; `version` is the new number (current + 1). */
  updatePage(input: { pageId: string; title: string; body: string; version: number }): Promise<ConfluencePage>;
}

export type ConfluenceErrorCode =
  | 'unauthorized' // 401: bad or expired credentials
  | 'forbidden' // 403: no permission in the space
  | 'space_not_found'
  | 'not_found'
  | 'title_taken' // another page in the space has this title
  | 'version_conflict' // 409: someone saved a newer version first
  | 'rate_limited' // 429 after the client's own retries
  | 'server_error' // 5xx after the client's own retries
  | 'network'
  | 'bad_request'
  | 'invalid_response';

/** An error from Confluence. Its message never contains credentials or request headers. */
export class ConfluenceError extends Error {
  constructor(
    readonly code: ConfluenceErrorCode,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ConfluenceError';
  }

  /** Worth trying again later (the effect runner backs off and retries). */
  get transient(): boolean {
    return this.code === 'rate_limited' || this.code === 'server_error' || this.code === 'network' || this.code === 'version_conflict';
  }
}
