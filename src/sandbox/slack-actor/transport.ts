import type { EnvelopeType } from '../slack-emulator/socket-mode/types';
import { slackRequestHeaders } from './signing';

/** What the app answered. `json` is set when the body parses as JSON. */
export interface AppResponse {
  status: number;
  body: string;
  json?: unknown;
  /** Socket Mode only: the envelope that carried the request (see `emulator.socketMode.acks`). */
  envelopeId?: string;
}

/** Bolt's HTTPReceiver serves commands, events and interactivity on this one path by default. */
export const APP_EVENTS_PATH = '/slack/events';

/**
 * One request from Slack to the app, as the body Slack would POST over HTTP. Socket Mode sends the
 * same content as JSON, so both transports start from this.
 */
export interface Outgoing {
  kind: EnvelopeType;
  body: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  /** A redelivery: `X-Slack-Retry-Num`/`-Reason` over HTTP, `retry_attempt`/`retry_reason` over Socket Mode. */
  retryNum?: number;
  retryReason?: string;
}

export type Transport = (request: Outgoing) => Promise<AppResponse>;

export async function postToApp(appUrl: string, body: string, headers: Record<string, string>): Promise<AppResponse> {
  const response = await fetch(`${appUrl.replace(/\/$/, '')}${APP_EVENTS_PATH}`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: text, ...parsedJson(text) };
}

/** Signed POSTs to the app's `/slack/events`. */
export function httpTransport(appUrl: string, signingSecret: string): Transport {
  return (request) => {
    const headers: Record<string, string> = {
      ...slackRequestHeaders(signingSecret, request.body, request.contentType),
      ...(request.retryNum !== undefined ? { 'X-Slack-Retry-Num': String(request.retryNum) } : {}),
      ...(request.retryReason !== undefined ? { 'X-Slack-Retry-Reason': request.retryReason } : {}),
    };
    return postToApp(appUrl, request.body, headers);
  };
}

function parsedJson(text: string): { json?: unknown } {
  if (!text) return {};
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return {};
  }
}
