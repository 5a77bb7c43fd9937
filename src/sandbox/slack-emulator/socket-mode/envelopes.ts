// Slack's side of envelope delivery: every envelope stays pending until some connection acks its
// envelope_id. An attempt that times out or loses its connection is sent again, with
// retry_attempt + 1 and the reason, on the next connection other than the one that failed, so a
// timed-out envelope waits for a reconnect while a disconnected one moves to any live connection.
import { randomUUID } from 'node:crypto';
import type { DeliverOptions, DeliveryResult, EnvelopeType, RetryReason, SocketModeEnvelope } from './types';

/** Slack gives up on an event after three retries. */
export const MAX_RETRIES = 3;

/** Where an attempt goes: one open, greeted connection. */
export interface Outlet {
  id: number;
  send(envelope: SocketModeEnvelope): void;
}

interface Waiter {
  resolve(result: DeliveryResult): void;
  timer: NodeJS.Timeout;
}

interface Pending {
  envelope: SocketModeEnvelope;
  inFlightOn?: number;
  attemptTimer?: NodeJS.Timeout;
  /** Set when an attempt failed: the retry must go elsewhere, for this reason. */
  failed?: { connectionId: number; reason: RetryReason };
  waiters: Set<Waiter>;
}

/** Slack reads a response from the ack of commands, view submissions and options requests only. */
function acceptsResponsePayload(type: EnvelopeType, payload: Record<string, unknown>): boolean {
  if (type === 'slash_commands') return true;
  return type === 'interactive' && (payload.type === 'view_submission' || payload.type === 'block_suggestion');
}

export class EnvelopeQueue {
  private readonly pendingById = new Map<string, Pending>();

  constructor(
    private readonly ackTimeoutMs: number,
    private readonly onSent: (envelope: SocketModeEnvelope, connectionId: number) => void,
  ) {}

  get size(): number {
    return this.pendingById.size;
  }

  has(envelopeId: string): boolean {
    return this.pendingById.has(envelopeId);
  }

  /** Queues an envelope; the promise settles on its ack, or unacked after the wait. */
  add(type: EnvelopeType, payload: Record<string, unknown>, options: DeliverOptions): { envelope: SocketModeEnvelope; result: Promise<DeliveryResult> } {
    const envelope: SocketModeEnvelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: acceptsResponsePayload(type, payload),
      retry_attempt: options.retryAttempt ?? 0,
      retry_reason: options.retryReason ?? '',
    };
    const entry: Pending = { envelope, waiters: new Set() };
    this.pendingById.set(envelope.envelope_id, entry);
    const result = new Promise<DeliveryResult>((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          entry.waiters.delete(waiter);
          resolve({ envelopeId: envelope.envelope_id, acked: false });
        }, options.timeoutMs ?? this.ackTimeoutMs),
      };
      entry.waiters.add(waiter);
    });
    return { envelope, result };
  }

  /** Sends every envelope not in flight whose last attempt did not fail on this outlet. */
  flush(outlet: Outlet | undefined): void {
    if (!outlet) return;
    for (const entry of this.pendingById.values()) {
      if (entry.inFlightOn === undefined && entry.failed?.connectionId !== outlet.id) this.send(entry, outlet);
    }
  }

  /** Settles the envelope; undefined when it is not pending (acked already, given up, or unknown). */
  ack(envelopeId: string, response: Record<string, unknown> | undefined): SocketModeEnvelope | undefined {
    const entry = this.pendingById.get(envelopeId);
    if (!entry) return undefined;
    this.settle(entry, { envelopeId, acked: true, retryAttempt: entry.envelope.retry_attempt, ...(response ? { response } : {}) });
    return entry.envelope;
  }

  /** The connection went away: whatever it had in flight is retried elsewhere. */
  connectionLost(connectionId: number): void {
    for (const entry of this.pendingById.values()) {
      if (entry.inFlightOn === connectionId) this.attemptFailed(entry, 'disconnected');
    }
  }

  /** Forgets every envelope; their `deliver` calls resolve unacked. */
  clear(): void {
    for (const entry of [...this.pendingById.values()]) this.settle(entry, { envelopeId: entry.envelope.envelope_id, acked: false });
  }

  private send(entry: Pending, outlet: Outlet): void {
    if (entry.failed) {
      entry.envelope.retry_attempt += 1;
      entry.envelope.retry_reason = entry.failed.reason;
    }
    entry.failed = undefined;
    entry.inFlightOn = outlet.id;
    entry.attemptTimer = setTimeout(() => this.attemptFailed(entry, 'timeout'), this.ackTimeoutMs);
    outlet.send(entry.envelope);
    this.onSent(entry.envelope, outlet.id);
  }

  private attemptFailed(entry: Pending, reason: RetryReason): void {
    if (entry.inFlightOn === undefined) return;
    clearTimeout(entry.attemptTimer);
    entry.failed = { connectionId: entry.inFlightOn, reason };
    entry.inFlightOn = undefined;
    if (entry.envelope.retry_attempt >= MAX_RETRIES) {
      this.settle(entry, { envelopeId: entry.envelope.envelope_id, acked: false });
    }
  }

  private settle(entry: Pending, result: DeliveryResult): void {
    clearTimeout(entry.attemptTimer);
    this.pendingById.delete(entry.envelope.envelope_id);
    for (const waiter of entry.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(result);
    }
    entry.waiters.clear();
  }
}
