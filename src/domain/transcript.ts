// The incident channel's human messages, kept so a :pushpin: reaction or a pin (also on a thread
// reply) resolves to the original text, time and author without calling Slack.

export interface TranscriptMessage {
  channelId: string;
  ts: string;
  threadTs?: string;
  userId: string;
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
