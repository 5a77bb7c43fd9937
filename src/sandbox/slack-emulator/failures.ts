import type { InjectedFailure } from './types';

/** Failures tests schedule for the next calls of a method, consumed in order. */
export class FailureQueue {
  private readonly pending = new Map<string, InjectedFailure[]>();

  add(method: string, failure: InjectedFailure, times: number): void {
    const queue = this.pending.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.pending.set(method, queue);
  }

  take(method: string): InjectedFailure | undefined {
    return this.pending.get(method)?.shift();
  }

  clear(): void {
    this.pending.clear();
  }
}
