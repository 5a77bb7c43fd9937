/**
 * Runs `load` once and shares its promise (concurrent callers share one call); a failure is
 * forgotten, so the next call tries again instead of failing forever.
 */
export function onceUntilFailure<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
