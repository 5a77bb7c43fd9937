// Socket Mode records, kept as plain data for assertions. Wire shapes follow Slack's Socket Mode
// guide and what @slack/socket-mode parses (envelope_id, type, payload, retry_attempt…).

/** The three kinds of envelope Slack sends an app over Socket Mode. */
export type EnvelopeType = 'slash_commands' | 'events_api' | 'interactive';

/** Why an envelope is sent again: its ack did not come in time, or its connection went away. */
export type RetryReason = 'timeout' | 'disconnected';

/** One envelope, exactly as it goes over the WebSocket. */
export interface SocketModeEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  /** True where Slack reads a body from the ack: slash commands, view submissions, options. */
  accepts_response_payload: boolean;
  /** 0 on the first delivery. */
  retry_attempt: number;
  /** '' on the first delivery. */
  retry_reason: string;
}

export interface SocketModeOptions {
  /** How long Slack waits for an envelope's ack before it counts the attempt as failed; Slack's is 3 s. */
  ackTimeoutMs?: number;
}

export interface DeliverOptions {
  /** How long `deliver` waits for the ack (default: the ack timeout). The envelope stays pending after. */
  timeoutMs?: number;
  /** First attempt's `retry_attempt`/`retry_reason`, to replay a delivery as a retry by hand. */
  retryAttempt?: number;
  retryReason?: string;
}

export interface DeliveryResult {
  envelopeId: string;
  acked: boolean;
  /** The ack's `payload`, when the app sent a non-empty one (a command's response, a view's response_action). */
  response?: Record<string, unknown>;
  /** The `retry_attempt` of the delivery the app acked. */
  retryAttempt?: number;
}

/** One envelope sent, once per attempt. */
export interface SentEnvelope {
  envelopeId: string;
  type: EnvelopeType;
  retryAttempt: number;
  retryReason: string;
  connectionId: number;
}

/** One acknowledgement received, in arrival order. */
export interface SocketModeAck {
  envelopeId: string;
  /** Undefined when the envelope id was never sent (or was forgotten by `reset`). */
  type?: EnvelopeType;
  payload?: Record<string, unknown>;
  connectionId: number;
  /** False for a second ack of the same envelope (a slow first attempt acking after its retry) or an unknown id. */
  accepted: boolean;
}

/** A slash command's immediate response: the ack's payload, shown to the person like an HTTP response body. */
export interface CommandAckResponse {
  envelopeId: string;
  channel: string;
  user: string;
  command: string;
  body: Record<string, unknown>;
}
