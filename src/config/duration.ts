// Human durations for configuration files (`30s`, `5m`, `1h30m`, `2 min`, `10 minutes`), read into
// milliseconds, and written back compactly for messages.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Escalation timeouts: shorter than 10s cannot be acknowledged in time; longer than a day is a mistake. */
export const MIN_DURATION_MS = 10 * SECOND;
export const MAX_DURATION_MS = 24 * HOUR;

export interface DurationBounds {
  minMs: number;
  maxMs: number;
}

// Longer spellings come first in each group so `min` is not read as `m` followed by `in`.
const PART = /(\d+(?:\.\d+)?)\s*(hours|hour|hrs|hr|h|minutes|minute|mins|min|m|seconds|second|secs|sec|s)/y;
const SPACE = /\s*/y;

function unitMs(unit: string): number {
  if (unit.startsWith('h')) return HOUR;
  if (unit.startsWith('m')) return MINUTE;
  return SECOND;
}

/**
 * Milliseconds for `30s`, `5m`, `1h`, `1h30m`, `1h 30m`, `90m`, `1.5h`, `2 min`, `10 minutes`; undefined
 * when the text is not such a duration or falls outside the bounds (10s to 24h, inclusive, by default).
 * A bare number is refused: nobody can tell whether `300` means seconds or minutes.
 * Units must go from larger to smaller, each at most once, so `30m1h` or `5m5m` is rejected as a typo.
 */
export function parseDuration(text: string, bounds: DurationBounds = { minMs: MIN_DURATION_MS, maxMs: MAX_DURATION_MS }): number | undefined {
  const input = text.trim().toLowerCase();
  let at = 0;
  let total = 0;
  let lastUnit = Infinity;
  while (at < input.length) {
    PART.lastIndex = at;
    const match = PART.exec(input);
    if (!match) return undefined;
    const unit = unitMs(match[2] ?? '');
    if (unit >= lastUnit) return undefined;
    lastUnit = unit;
    total += Number(match[1]) * unit;
    SPACE.lastIndex = PART.lastIndex;
    SPACE.exec(input);
    at = SPACE.lastIndex;
  }
  if (lastUnit === Infinity) return undefined; // empty text
  const ms = Math.round(total);
  return ms >= bounds.minMs && ms <= bounds.maxMs ? ms : undefined;
}

/** `5m`, `1h30m`, `45s`: zero parts are left out, rounded to the second, negative counts as zero. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / SECOND));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}
