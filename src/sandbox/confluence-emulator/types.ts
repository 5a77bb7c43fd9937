// The emulated Confluence's records and options. Plain data, so tests can assert on them directly;
// each deployment's JSON shapes are built from them in cloud-api.ts and dc-api.ts.

export type Deployment = 'cloud' | 'datacenter';

export interface ConfluenceEmulatorOptions {
  deployment: Deployment;
  /** Spaces that exist from the start; defaults to one space, INC ("Incidents"). */
  spaces?: { key: string; name?: string }[];
  /** Required for Cloud: requests must carry `Authorization: Basic base64(email:apiToken)`. */
  cloud?: { email: string; apiToken: string };
  /**
   * Required for Data Center: requests must carry `Authorization: Bearer <personalAccessToken>`.
   * `contextPath` (e.g. `/confluence`) mounts the site below the root, as many installs are.
   */
  datacenter?: { personalAccessToken: string; contextPath?: string };
}

export interface EmulatedSpace {
  /** Numeric, as a string (Cloud v2 sends it as a string, Data Center as a number). */
  id: string;
  key: string;
  name: string;
  /** Every space is created with a home page, as in Confluence. */
  homepageId: string;
}

export type PageStatus = 'current' | 'trashed';

export interface EmulatedPage {
  id: string;
  spaceId: string;
  spaceKey: string;
  /** Unset for a page at the top of the space (Data Center without ancestors). */
  parentId?: string;
  title: string;
  /** Starts at 1; every update must send the current number + 1. */
  version: number;
  /** The message sent with the latest version, if any. */
  versionMessage?: string;
  /** Storage format (XHTML), exactly as last written. */
  body: string;
  status: PageStatus;
  /** ISO timestamps. */
  createdAt: string;
  updatedAt: string;
}

/** One request as the emulator saw it. Headers and bodies are never kept, so no credential is. */
export interface ConfluenceCall {
  method: string;
  /** Path below the host, without the query string (context path included). */
  path: string;
  /** The raw query string without `?`; empty when there was none. */
  query: string;
  status: number;
}

export type { CallMatcher } from '../emulated-http/failures';

export type InjectedFailure = { status: 429; retryAfterSeconds: number } | { status: 500 | 502 | 503 } | { status: 401 | 403 };

/** A page as a person creates it in the UI (no API call is logged). */
export interface NewPage {
  spaceKey: string;
  title: string;
  body: string;
  /** Defaults to the space's home page, as the UI's "Create" does. */
  parentId?: string;
}
