// What a person's App Home tab shows: the open incidents they run, declared or hold a role in;
// every open incident they may see; recent postmortems. A private incident shows only to the
// members of its channel, asked of Slack when the tab is opened.

import type { Incident } from '../domain/incident';
import type { IncidentStore } from '../ports/incident-store';

/** Enough to be useful, far below Slack's 100 blocks per Home tab. */
export const HOME_LIMITS = { open: 25, recent: 10 } as const;

export interface HomeIncident {
  incident: Incident;
  /** "commander", a role name, or "declarer": why it is theirs. */
  part?: string;
}

export interface AppHome {
  mine: HomeIncident[];
  /** Every open incident they may see, newest first, at most HOME_LIMITS.open. */
  open: HomeIncident[];
  /** Visible open incidents beyond the limit. */
  moreOpen: number;
  /** Closed incidents they may see, newest declared first. */
  recent: Incident[];
}

/** Members of a channel; a failure (the bot left the channel) hides the incident. */
export type ChannelMembers = (channelId: string) => Promise<string[]>;

export function partOf(incident: Incident, userId: string): string | undefined {
  if (incident.commanderId === userId) return 'commander';
  const role = Object.entries(incident.roles).find(([, holder]) => holder === userId)?.[0];
  if (role) return role;
  return incident.declaredBy === userId ? 'declarer' : undefined;
}

/** Whether the person may see the incident: a private one only as a member of its channel. */
export async function maySee(incident: Incident, userId: string, members: ChannelMembers): Promise<boolean> {
  if (!incident.isPrivate || partOf(incident, userId)) return true;
  if (!incident.chat) return false;
  try {
    return (await members(incident.chat.channelId)).includes(userId);
  } catch {
    return false;
  }
}

/** The incidents of `list` the person may see, in its order (private ones asked of Slack in parallel). */
export async function visibleTo(list: readonly Incident[], userId: string, members: ChannelMembers): Promise<Incident[]> {
  const seen = await Promise.all(list.map((incident) => maySee(incident, userId, members)));
  return list.filter((_, i) => seen[i]);
}

export async function appHome(store: IncidentStore, members: ChannelMembers, who: { teamId: string; userId: string }): Promise<AppHome> {
  const [open, closed] = await Promise.all([store.listOpenIncidents(who.teamId), store.listClosedIncidents(who.teamId, HOME_LIMITS.recent * 2)]);
  const visible = (list: Incident[]) => visibleTo(list, who.userId, members);
  const shown: HomeIncident[] = (await visible(open)).map((incident) => {
    const part = partOf(incident, who.userId);
    return part ? { incident, part } : { incident };
  });
  return {
    mine: shown.filter((h) => h.part !== undefined),
    open: shown.slice(0, HOME_LIMITS.open),
    moreOpen: Math.max(0, shown.length - HOME_LIMITS.open),
    recent: (await visible(closed)).slice(0, HOME_LIMITS.recent),
  };
}
