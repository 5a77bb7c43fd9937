// What the postmortem is made of: impact, root cause, corrective and preventative measures.
// Allowed after closing too: postmortems are written after the fact, and a re-export picks them up.

import { mentionUser } from '../blocks/text';
import type { Invocation, Reply, UseCaseDeps } from './context';
import { incidentForChannel } from './incident-lookup';
import { recordChange } from './record-change';

export async function recordImpact(deps: UseCaseDeps, who: Invocation, text: string): Promise<Reply> {
  const incident = await incidentForChannel(deps.store, who.channelId, 'impact');
  await recordChange(deps, who, incident, { kind: 'impact', text, patch: { impact: text } });
  return { inChannel: true, text: `:chart_with_downwards_trend: ${mentionUser(who.userId)} recorded the impact: ${text}` };
}

export async function recordCause(deps: UseCaseDeps, who: Invocation, text: string): Promise<Reply> {
  const incident = await incidentForChannel(deps.store, who.channelId, 'cause');
  await recordChange(deps, who, incident, { kind: 'cause', text, patch: { rootCause: text } });
  return { inChannel: true, text: `:mag: ${mentionUser(who.userId)} recorded the root cause: ${text}` };
}

export async function addActionItem(deps: UseCaseDeps, who: Invocation, text: string, ownerId?: string): Promise<Reply> {
  const incident = await incidentForChannel(deps.store, who.channelId, 'action');
  await recordChange(deps, who, incident, { kind: 'action', text, data: { owner: ownerId ?? null } });
  const owner = ownerId ? ` (owner: ${mentionUser(ownerId)})` : ' (no owner yet: add one with `/incident action <text> @owner`)';
  return { inChannel: true, text: `:clipboard: ${mentionUser(who.userId)} added an action item${owner}: ${text}` };
}
