import type { CallMatcher, InjectedFailure } from './types';

interface Pending {
  matcher: CallMatcher;
  failure: InjectedFailure;
  remaining: number;
}

/** Failures tests schedule for upcoming requests; the oldest matching schedule is used first. */
export class FailureQueue {
  private pending: Pending[] = [];

  add(matcher: CallMatcher, failure: InjectedFailure, times: number): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`failNext: times must be a positive integer, got ${times}`);
    this.pending.push({ matcher, failure, remaining: times });
  }

  take(method: string, target: string): InjectedFailure | undefined {
    const entry = this.pending.find(
      ({ matcher }) =>
        (matcher.method === undefined || matcher.method.toUpperCase() === method.toUpperCase()) &&
        (matcher.pathIncludes === undefined || target.includes(matcher.pathIncludes)),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.pending = this.pending.filter((p) => p !== entry);
    return entry.failure;
  }

  clear(): void {
    this.pending = [];
  }
}
