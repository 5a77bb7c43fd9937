// Small rules both adapters share, kept apart from the HTTP plumbing.

// Pages in these states are gone as far as the export flow is concerned.
const GONE = new Set(['trashed', 'deleted', 'purged']);

export function isGone(status: string | undefined): boolean {
  return status !== undefined && GONE.has(status);
}

/** The exact title first; Confluence treats titles as unique regardless of case, so a case variant is the same page. */
export function pickByTitle<T extends { title: string }>(results: T[], title: string): T | undefined {
  return results.find((p) => p.title === title) ?? results.find((p) => p.title.toLowerCase() === title.toLowerCase());
}

export function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

export { onceUntilFailure } from '../../shared/once-until-failure';
