// The actor's requests as Socket Mode envelopes through the emulator, answered like HTTP: the ack
// is the 200 (its payload the body, as Bolt's `ack(body)` sends it); no ack in time is a 504.
import type { SlackEmulator } from '../slack-emulator';
import { isObject } from '../slack-emulator/web-api/define';
import type { AppResponse, Outgoing, Transport } from './transport';

function parsedObject(text: string, what: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (!isObject(value)) throw new Error(`${what} is not a JSON object`);
  return value;
}

/** The payload Slack puts in the envelope: the event callback, the interactivity payload, or the command's fields. */
export function socketPayload(request: Outgoing): Record<string, unknown> {
  if (request.kind === 'events_api') return parsedObject(request.body, 'The event callback');
  const form = new URLSearchParams(request.body);
  if (request.kind === 'interactive') return parsedObject(form.get('payload') ?? '', 'The interactivity payload');
  return Object.fromEntries(form);
}

/** `timeoutMs`: how long to wait for the ack; defaults to the emulator's ack timeout (Slack's 3 s). */
export function socketTransport(emulator: SlackEmulator, timeoutMs?: number): Transport {
  return async (request): Promise<AppResponse> => {
    const result = await emulator.socketMode.deliver(request.kind, socketPayload(request), {
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(request.retryNum !== undefined ? { retryAttempt: request.retryNum } : {}),
      ...(request.retryReason !== undefined ? { retryReason: request.retryReason } : {}),
    });
    if (!result.acked) return { status: 504, body: '', envelopeId: result.envelopeId };
    const json = result.response ?? {};
    return { status: 200, body: JSON.stringify(json), json, envelopeId: result.envelopeId };
  };
}
