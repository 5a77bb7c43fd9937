// What the bench process and the servers it forks say to each other over the IPC channel.
// Both ends are in this folder, so the one cast on receipt (`Replies[K]`) is checked by design.

/** What a Slack request to the app needs to know about the workspace it pretends to come from. */
export interface WorkspaceInfo {
  teamId: string;
  teamDomain: string;
  apiAppId: string;
  botUserId: string;
  incidentId: string;
  channelId: string;
  channelName: string;
  /** Human members of the incident channel (they write the notes and messages). */
  userIds: string[];
  userNames: Record<string, string>;
  /** A response_url issued by the emulated Slack (the note command does not use it). */
  responseUrl: string;
  sqlitePath: string;
}

export interface MemoryStats {
  rss: number;
  heapUsed: number;
  /** Peak RSS of the process so far (process.resourceUsage().maxRSS, bytes). */
  maxRss: number;
}

export interface IngestState {
  /** `ts` of every transcript row of the incident channel (rows, so duplicates would show). */
  transcriptTs: string[];
  /** `source_id` of every `message` timeline entry of the incident (rows). */
  messageSourceIds: string[];
  /** Effects still pending after settling. */
  pendingEffects: number;
}

/** Event-loop delay since the previous `loop` command (perf_hooks.monitorEventLoopDelay). */
export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Command name → what the child answers. */
export interface Replies {
  memory: MemoryStats;
  /** Event-loop delay since the last call, then reset: a stalled loop delays every request. */
  loop: LoopDelay;
  /** CPU time the process has used so far (user + system, microseconds): per request, a figure a busy machine disturbs far less than throughput. */
  cpu: number;
  /** Waits until the effect outbox is quiet. */
  settle: null;
  /** Emulated Slack Web API calls so far. */
  calls: number;
  /** `source_id` of every `note` timeline entry of the incident (rows). */
  notes: string[];
  'ingest-state': IngestState;
  /** Warnings and errors the app logged (first few lines and the count). */
  logs: { count: number; first: string[] };
  stop: null;
}

export type Command = keyof Replies;

export interface Request {
  id: number;
  cmd: Command;
}

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface Ready {
  type: 'ready';
  port: number;
  workspace?: WorkspaceInfo;
}
