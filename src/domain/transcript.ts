// The incident channel's messages (people's, and integrations' such as monitoring alerts), kept so
// a :pushpin: reaction or a pin (also on a thread reply) resolves to the original text, time and
// author without calling Slack.

export interface TranscriptMessage {
  channelId: string;
  ts: string;
  threadTs?: string;
  /** A person's user id; for an integration's message its bot user or bot id (`B…`). */
  userId: string;
  /** Set when no person posted it: the integration's name as Slack shows it (Slack markup). */
  authorName?: string;
  /** Slack markup: the message text, or an alert's attachment/blocks text, and its files as links. */
  text: string;
  /** Epoch ms of the message (from its ts). */
  at: number;
  editedAt?: number;
  deleted: boolean;
  /** Users who reacted with :pushpin:. */
  pushpinnedBy: string[];
  pinned: boolean;
}

export function isHighlighted(m: Pick<TranscriptMessage, 'pushpinnedBy' | 'pinned' | 'deleted'>): boolean {
  return !m.deleted && (m.pinned || m.pushpinnedBy.length > 0);
}

/** Slack message ts ("1677837600.000100") → epoch ms. */
export function tsToMillis(ts: string): number {
  const [secs, frac = '0'] = ts.split('.');
  return Number(secs) * 1000 + Math.floor(Number(`0.${frac}`) * 1000);
}

/** The timeline source id of a highlighted message. */
export function messageSourceId(channelId: string, ts: string): string {
  return `msg:${channelId}:${ts}`;
}
