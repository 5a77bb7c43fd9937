// Follow-up tickets: an action item (a timeline entry of kind `action`, known by its source id)
// gets at most one ticket in the team's tracker, and the incident keeps what the tracker last said
// of it. Pure.

/** Where a ticket stands, in the three words a postmortem reader needs. */
export type TicketState = 'open' | 'done' | 'wont_do';

export interface ActionTicket {
  /** The action item's timeline source id. */
  actionSourceId: string;
  /** "OPS-12", "#42". */
  key: string;
  url: string;
  state: TicketState;
  /** The tracker's own status name, as last read. */
  statusName: string;
  createdAt: number;
  /** When the tracker was last asked; `gone` when the ticket no longer exists there. */
  checkedAt: number;
  gone?: boolean;
}

export function ticketFor(tickets: readonly ActionTicket[] | undefined, actionSourceId: string): ActionTicket | undefined {
  return tickets?.find((t) => t.actionSourceId === actionSourceId);
}

/** The list with this ticket added or replaced (one per action item). */
export function withTicket(tickets: readonly ActionTicket[] | undefined, ticket: ActionTicket): ActionTicket[] {
  return [...(tickets ?? []).filter((t) => t.actionSourceId !== ticket.actionSourceId), ticket];
}

/**
 * `current` with what the tracker said of each ticket in `read` (matched by action item): states read
 * from an older snapshot never drop a ticket filed meanwhile.
 */
export function withStates(current: readonly ActionTicket[] | undefined, read: readonly ActionTicket[]): ActionTicket[] {
  return (current ?? []).map((ticket) => {
    const fresh = read.find((r) => r.actionSourceId === ticket.actionSourceId && r.key === ticket.key);
    if (!fresh) return ticket;
    const { gone: _gone, ...rest } = ticket;
    return { ...rest, state: fresh.state, statusName: fresh.statusName, checkedAt: fresh.checkedAt, ...(fresh.gone ? { gone: true } : {}) };
  });
}

/** Tickets in `after` whose state, status name or existence differs from `before`. */
export function changedTickets(before: readonly ActionTicket[] | undefined, after: readonly ActionTicket[]): ActionTicket[] {
  return after.filter((ticket) => {
    const old = before?.find((b) => b.actionSourceId === ticket.actionSourceId && b.key === ticket.key);
    return !old || old.state !== ticket.state || old.statusName !== ticket.statusName || !!old.gone !== !!ticket.gone;
  });
}

/** Whether someone still has work to do on any of them (so the periodic sync keeps going). */
export function anyOpen(tickets: readonly ActionTicket[] | undefined): boolean {
  return (tickets ?? []).some((t) => t.state === 'open' && !t.gone);
}

export const TICKET_STATE_WORDS: Record<TicketState, string> = { open: 'open', done: 'done', wont_do: "won't do" };
