// Which driver failures mean "the database cannot be reached", so the app can tell the user
// "storage unavailable, not saved, retry" instead of showing an internal error.

import { StorageUnavailableError } from '../../ports/incident-store';

export { StorageUnavailableError };

// Matched by name rather than instanceof: the same check then works for errors from another copy of
// the driver (or another jest module registry), and for mongoose's wrapper of the initial connect.
const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoWaitQueueTimeoutError',
]);

// A socket the server dropped can surface as the bare system error (e.g. a write hitting EPIPE).
const NETWORK_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function networkCode(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

function named(error: unknown): error is { name: string; cause?: unknown } {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string';
}

/** True for connectivity failures, looking through `cause` chains (a commit error wraps the network error). */
export function isUnavailable(error: unknown): boolean {
  if (networkCode(error)) return true;
  for (let e: unknown = error, depth = 0; named(e) && depth < 5; e = e.cause, depth += 1) {
    if (networkCode(e)) return true;
    if (e instanceof StorageUnavailableError || UNAVAILABLE_NAMES.has(e.name)) return true;
  }
  return false;
}

/** Connectivity failures become StorageUnavailableError (with the driver's error as cause); others pass through. */
export function toStorageError(error: unknown): unknown {
  if (error instanceof StorageUnavailableError || !isUnavailable(error)) return error;
  return new StorageUnavailableError({ cause: error });
}

/** Runs a driver operation; unreachable-database failures reject as StorageUnavailableError. */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toStorageError(error);
  }
}

/** E11000: a unique index refused a write. */
export function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, writeErrors } = error as { code?: unknown; writeErrors?: unknown };
  if (code === 11000) return true;
  // insertMany reports per-document errors.
  return Array.isArray(writeErrors) && writeErrors.some((w: { code?: unknown }) => w?.code === 11000);
}

export function hasErrorLabel(error: unknown, label: string): boolean {
  const check = (error as { hasErrorLabel?: (l: string) => boolean } | null)?.hasErrorLabel;
  return typeof check === 'function' && check.call(error, label);
}
