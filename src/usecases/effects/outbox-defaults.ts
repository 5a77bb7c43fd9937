// The outbox's defaults, in one place: the runner falls back to them, the configuration documents
// and parses its variables against them.

/**
 * How long transient failures (5xx, network, 429) are retried from an effect's first attempt before
 * it is given up: a count of attempts would be spent in a minute of backoff by a short Slack outage,
 * losing a reminder or the postmortem file. INCIDENT_EFFECT_RETRY_BUDGET sets it.
 */
export const DEFAULT_RETRY_BUDGET_MS = 30 * 60_000;

/**
 * A claimed effect is ours this long unless renewed (it is, while it runs); a crashed process's
 * claims pass to another process, or to its own restart, after it. INCIDENT_EFFECT_LEASE sets it.
 */
export const DEFAULT_LEASE_MS = 15_000;
