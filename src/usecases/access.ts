// Who may steer an incident. Anyone in the channel may add notes; closing, resolving, changing
// severity and escalating can be limited to the commander, role holders and responder groups.

import { AppError } from './errors';
import type { Incident } from '../domain/incident';
import { said, user } from '../domain/said';

export interface AccessPolicy {
  /** Throws an AppError naming who may do `action` when `userId` may not. */
  requireControl(incident: Incident, userId: string, action: string): Promise<void>;
}

export const OPEN_ACCESS: AccessPolicy = { requireControl: async () => undefined };

const GROUP_CACHE_MS = 60_000;

/**
 * Restricted control: the commander, anyone holding a role, and members of the responder groups.
 * Group members are looked up at most once a minute per group (the ack path stays fast).
 */
export function responderAccess(options: { groupIds: readonly string[]; members: (groupId: string) => Promise<string[]>; now: () => number }): AccessPolicy {
  const cache = new Map<string, { at: number; members: Set<string> }>();
  async function inGroup(groupId: string, userId: string): Promise<boolean> {
    const cached = cache.get(groupId);
    if (cached && options.now() - cached.at < GROUP_CACHE_MS) return cached.members.has(userId);
    const members = new Set(await options.members(groupId));
    cache.set(groupId, { at: options.now(), members });
    return members.has(userId);
  }
  return {
    async requireControl(incident, userId, action) {
      if (incident.commanderId === userId || Object.values(incident.roles).includes(userId)) return;
      for (const group of options.groupIds) if (await inGroup(group, userId)) return;
      const groups = options.groupIds.map((g) => `user group ${g}`).join(', ');
      throw new AppError(
        'forbidden',
        said`Only the incident commander (${user(incident.commanderId)}), people with a role${groups ? ` or members of ${groups}` : ''} may ${action}. Ask them, or ask the commander to give you a role with \`/incident role\`.`,
      );
    },
  };
}
