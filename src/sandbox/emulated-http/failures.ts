// Failures tests schedule for upcoming requests to an emulated HTTP service (Confluence, Jira,
// GitHub). Each service has its own failure shapes; the matching rules are the same for all.

export interface CallMatcher {
  /** Compared case-insensitively; any method when unset. */
  method?: string;
  /** Substring of `path?query` (or of `path` when there is no query); any path when unset. */
  pathIncludes?: string;
}

interface Pending<F> {
  matcher: CallMatcher;
  failure: F;
  remaining: number;
}

/** The oldest matching schedule is used first; each use counts down its `times`. */
export class FailureQueue<F> {
  private pending: Pending<F>[] = [];

  add(matcher: CallMatcher, failure: F, times: number): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`failNext: times must be a positive integer, got ${times}`);
    this.pending.push({ matcher, failure, remaining: times });
  }

  /** `target` is `path?query`, or `path` when there is no query. */
  take(method: string, target: string): F | undefined {
    const entry = this.pending.find(
      ({ matcher }) =>
        (matcher.method === undefined || matcher.method.toUpperCase() === method.toUpperCase()) && (matcher.pathIncludes === undefined || target.includes(matcher.pathIncludes)),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.pending = this.pending.filter((p) => p !== entry);
    return entry.failure;
  }
}
