// Escalations: paging people, teams or a policy's levels, until someone acknowledges. Pure: every
// transition takes the current record and a time, and returns the next record.

/** One level of paging: people and user groups, and how long they have to acknowledge. */
export interface EscalationLevel {
  userIds: string[];
  usergroupIds: string[];
  /** Without a timeout the level waits for an acknowledgement indefinitely (direct pages). */
  timeoutMs?: number;
}

export interface EscalationPolicy {
  name: string;
  description?: string;
  levels: EscalationLevel[];
}

/** Who was asked for: a person, a user group (by id, with its handle when known) or a named policy. */
export type EscalationTarget = { kind: 'user'; id: string } | { kind: 'usergroup'; id: string; handle?: string } | { kind: 'policy'; name: string };

/**
 * Whom an escalation entry is about, as timeline data (which holds scalars only), so the record
 * names the target by what it is, not in any chat's syntax. Entries recorded before this carry a
 * `target` label in the stored text form instead; readers fall back to it.
 */
export function targetData(target: EscalationTarget): { targetKind: EscalationTarget['kind']; targetId: string; targetHandle?: string } {
  switch (target.kind) {
    case 'user':
      return { targetKind: 'user', targetId: target.id };
    case 'usergroup':
      return { targetKind: 'usergroup', targetId: target.id, ...(target.handle ? { targetHandle: target.handle } : {}) };
    case 'policy':
      return { targetKind: 'policy', targetId: target.name };
  }
}

/** The target `targetData` recorded, if the entry has one. */
export function targetFromData(data: Readonly<Record<string, unknown>> | undefined): EscalationTarget | undefined {
  const { targetKind: kind, targetId: id, targetHandle: handle } = data ?? {};
  if (typeof id !== 'string' || !id) return undefined;
  if (kind === 'user') return { kind, id };
  if (kind === 'usergroup') return { kind, id, ...(typeof handle === 'string' && handle ? { handle } : {}) };
  if (kind === 'policy') return { kind, name: id };
  return undefined;
}

/** One person's page notification (their DM), once sent or once it failed. */
export interface PageNotice {
  userId: string;
  /** DM channel and message, to update it when the page is acknowledged or cancelled. */
  channelId?: string;
  ts?: string;
  /** Why this person could not be notified (e.g. `user_disabled`). */
  error?: string;
}

/** A level that was paged. */
export interface PageRecord {
  level: number;
  pagedAt: number;
  /** The people paged; filled in when user groups have been expanded. */
  userIds?: string[];
  notices: PageNotice[];
  timedOutAt?: number;
}

export const ESCALATION_STATES = ['paging', 'acknowledged', 'exhausted', 'cancelled'] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];

export interface Escalation {
  id: string;
  incidentId: string;
  target: EscalationTarget;
  /** The policy's levels as they were when paging started (later edits of the file do not apply). */
  levels: EscalationLevel[];
  reason?: string;
  requestedBy: string;
  /** `automatic` when a severity's policy was paged on declaration. */
  trigger: 'manual' | 'automatic';
  createdAt: number;
  state: EscalationState;
  currentLevel: number;
  /** When the current level times out; absent when it cannot (no timeout, or no longer paging). */
  deadlineAt?: number;
  pages: PageRecord[];
  acknowledgedBy?: string;
  acknowledgedAt?: number;
  endedAt?: number;
  /** Optimistic concurrency: every stored write bumps it; a write expecting an older one fails. */
  version: number;
}

export type NewEscalation = Omit<Escalation, 'version'>;

/** The levels a target pages: one level for a person or a group, the policy's for a policy. */
export function levelsFor(target: EscalationTarget, policy?: EscalationPolicy): EscalationLevel[] {
  switch (target.kind) {
    case 'user':
      return [{ userIds: [target.id], usergroupIds: [] }];
    case 'usergroup':
      return [{ userIds: [], usergroupIds: [target.id] }];
    case 'policy':
      if (!policy || policy.levels.length === 0) throw new Error(`policy ${target.name} has no levels`);
      return policy.levels;
  }
}

function pageLevel(levels: EscalationLevel[], level: number, now: number): { page: PageRecord; deadlineAt?: number } {
  const timeout = levels[level]?.timeoutMs;
  return {
    page: { level, pagedAt: now, notices: [] },
    ...(timeout !== undefined ? { deadlineAt: now + timeout } : {}),
  };
}

export function startEscalation(input: {
  id: string;
  incidentId: string;
  target: EscalationTarget;
  levels: EscalationLevel[];
  reason?: string;
  requestedBy: string;
  trigger: Escalation['trigger'];
  now: number;
}): NewEscalation {
  const first = pageLevel(input.levels, 0, input.now);
  return {
    id: input.id,
    incidentId: input.incidentId,
    target: input.target,
    levels: input.levels,
    ...(input.reason ? { reason: input.reason } : {}),
    requestedBy: input.requestedBy,
    trigger: input.trigger,
    createdAt: input.now,
    state: 'paging',
    currentLevel: 0,
    ...(first.deadlineAt !== undefined ? { deadlineAt: first.deadlineAt } : {}),
    pages: [first.page],
  };
}

export function isPaging(escalation: Pick<Escalation, 'state'>): boolean {
  return escalation.state === 'paging';
}

/** Everyone paged so far (as expanded), across levels. */
export function pagedUsers(escalation: Escalation): string[] {
  return [...new Set(escalation.pages.flatMap((p) => p.userIds ?? []))];
}

export function acknowledgeEscalation(escalation: Escalation, userId: string, now: number): Escalation {
  return endPaging(escalation, now, { state: 'acknowledged', acknowledgedBy: userId, acknowledgedAt: now });
}

export function cancelEscalation(escalation: Escalation, now: number): Escalation {
  return endPaging(escalation, now, { state: 'cancelled' });
}

/** A paging escalation ends with no deadline left; one that already ended stays as it was. */
function endPaging(escalation: Escalation, now: number, ending: Partial<Escalation> & Pick<Escalation, 'state'>): Escalation {
  if (!isPaging(escalation)) return escalation;
  const { deadlineAt: _deadline, ...rest } = escalation;
  return { ...rest, ...ending, endedAt: now };
}

export type TimeoutOutcome = { kind: 'not_due' } | { kind: 'next_level'; level: number } | { kind: 'exhausted' };

/**
 * The current level's deadline passed without an acknowledgement: page the next level, or, after
 * the last, stop (the team is told; the bot does not loop).
 */
export function timeOutLevel(escalation: Escalation, now: number): { escalation: Escalation; outcome: TimeoutOutcome } {
  if (!isPaging(escalation) || escalation.deadlineAt === undefined || escalation.deadlineAt > now) {
    return { escalation, outcome: { kind: 'not_due' } };
  }
  const pages = escalation.pages.map((p) => (p.level === escalation.currentLevel ? { ...p, timedOutAt: now } : p));
  const { deadlineAt: _deadline, ...rest } = escalation;
  const nextLevel = escalation.currentLevel + 1;
  if (nextLevel >= escalation.levels.length) {
    return { escalation: { ...rest, pages, state: 'exhausted', endedAt: now }, outcome: { kind: 'exhausted' } };
  }
  const next = pageLevel(escalation.levels, nextLevel, now);
  return {
    escalation: {
      ...rest,
      pages: [...pages, next.page],
      currentLevel: nextLevel,
      ...(next.deadlineAt !== undefined ? { deadlineAt: next.deadlineAt } : {}),
    },
    outcome: { kind: 'next_level', level: nextLevel },
  };
}

/** Records who a level actually paged once its user groups were expanded. */
export function recordPagedUsers(escalation: Escalation, level: number, userIds: string[]): Escalation {
  return { ...escalation, pages: escalation.pages.map((p) => (p.level === level ? { ...p, userIds } : p)) };
}

/** Records one person's notification (or why it failed), replacing an earlier record for them. */
export function recordNotice(escalation: Escalation, level: number, notice: PageNotice): Escalation {
  return {
    ...escalation,
    pages: escalation.pages.map((p) => (p.level === level ? { ...p, notices: [...p.notices.filter((n) => n.userId !== notice.userId), notice] } : p)),
  };
}

/** Milliseconds from the first page to the acknowledgement. */
export function acknowledgementLatency(escalation: Escalation): number | undefined {
  return escalation.acknowledgedAt === undefined ? undefined : escalation.acknowledgedAt - escalation.createdAt;
}
