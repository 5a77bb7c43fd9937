// Requests from workspaces (or organisations) that are not on the allowlist are refused before
// any listener runs: commands and buttons get a clear answer, events are acknowledged and dropped.

import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

import type { Logger } from './logger';
import { scopeOf } from './request-scope';

interface TeamFields {
  team_id?: string;
  enterprise_id?: string;
  team?: { id?: string } | null;
  enterprise?: { id?: string } | null;
  user?: { team_id?: string };
}

/** Team and enterprise ids a request claims, from whichever shape it has (command, event, action). */
export function requestTeams(body: unknown): string[] {
  const b = (body ?? {}) as TeamFields;
  return [b.team_id, b.enterprise_id, b.team?.id, b.enterprise?.id, b.user?.team_id].filter((id): id is string => typeof id === 'string' && id !== '');
}

export function allowOnlyTeams(allowed: readonly string[], logger: Logger): Middleware<AnyMiddlewareArgs> {
  const allow = new Set(allowed);
  return async (args) => {
    const teams = requestTeams(args.body);
    if (teams.some((id) => allow.has(id))) {
      await args.next();
      return;
    }
    logger.scoped(scopeOf(args.context)).warn({ teams }, 'request from a workspace that is not allowed');
    // Commands get a visible answer; actions and views a bare ack; events are acknowledged by Bolt.
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    const isCommand = typeof (args.body as { command?: unknown }).command === 'string';
    if (ack) await (isCommand ? ack({ response_type: 'ephemeral', text: 'This incident bot is not available in this workspace.' }) : ack());
  };
}
