/**
 * Like Promise.all, but settles only when every promise has: the first rejection is thrown after the
 * others finished, so no write is still running (or its failure unobserved) when the caller answers.
 */
export async function allSettled<T extends readonly unknown[]>(promises: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  // The mapped tuple type hides from the rule that every element is a Promise (the signature says so).
  // eslint-disable-next-line @typescript-eslint/await-thenable
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
