// The `_links` Confluence puts on content, and small readers for request fields both APIs share.
import type { ContentStore } from './store';

/** What the API modules need from the emulator. */
export interface ApiContext {
  store: ContentStore;
  /** The `_links.base` Confluence reports: Cloud's `<site>/wiki`, Data Center's site URL (context path included). */
  linkBase: string;
  /** Data Center's context path (`/confluence`), or '' at the root. */
  contextPath: string;
}

/** Confluence's tiny link: the id's little-endian bytes in URL-safe base64, trailing padding dropped. */
export function tinyui(id: string): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(id));
  let end = bytes.length;
  while (end > 1 && bytes[end - 1] === 0) end -= 1;
  const encoded = bytes.subarray(0, end).toString('base64').replace(/=+$/, '').replace(/\//g, '-').replace(/\+/g, '_');
  return `/x/${encoded.replace(/A+$/, '')}`;
}

/** Titles in page URLs: spaces become `+`, everything else percent-encoded. */
export function titleSlug(title: string): string {
  return encodeURIComponent(title).replace(/%20/g, '+');
}

/** Data Center links titles it cannot put in a path through the page id instead. */
export function dcWebui(spaceKey: string, id: string, title: string): string {
  // eslint-disable-next-line no-control-regex -- "not ASCII" is the rule being expressed
  const unsafe = /[?/\\;#&+%]|[^\x00-\x7F]/.test(title);
  return unsafe ? `/pages/viewpage.action?pageId=${id}` : `/display/${spaceKey}/${titleSlug(title)}`;
}

/** A string field; numbers are accepted where Confluence takes ids as either. */
export function stringField(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function objectField(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Comma-separated and repeated query values alike (`keys=A,B` and `keys=A&keys=B`). */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length > 0 ? values : undefined;
}

export function isNumericId(id: string): boolean {
  return /^[0-9]{1,18}$/.test(id);
}
