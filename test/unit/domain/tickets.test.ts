import { anyOpen, changedTickets, withStates, withTicket, type ActionTicket } from '../../../src/domain/tickets';

const ticket = (actionSourceId: string, key: string, rest: Partial<ActionTicket> = {}): ActionTicket => ({
  actionSourceId,
  key,
  url: `https://acme.atlassian.net/browse/${key}`,
  state: 'open',
  statusName: 'To Do',
  createdAt: 1_000,
  checkedAt: 1_000,
  ...rest,
});

describe('follow-up tickets', () => {
  it('when states are read from an older snapshot, then a ticket filed meanwhile is kept and only matching tickets change', () => {
    const snapshot = [ticket('a', 'OPS-1')];
    const current = withTicket(snapshot, ticket('b', 'OPS-2'));
    const read = [ticket('a', 'OPS-1', { state: 'done', statusName: 'Done', checkedAt: 5_000 })];

    expect(withStates(current, read)).toEqual([ticket('a', 'OPS-1', { state: 'done', statusName: 'Done', checkedAt: 5_000 }), ticket('b', 'OPS-2')]);
  });

  it('when a ticket comes back after it was gone, then it is no longer marked gone; a refiled item is not overwritten by its old key', () => {
    const current = [ticket('a', 'OPS-1', { gone: true }), ticket('b', 'OPS-9')];
    const read = [ticket('a', 'OPS-1', { checkedAt: 7_000 }), ticket('b', 'OPS-2', { state: 'done' })];

    expect(withStates(current, read)).toEqual([ticket('a', 'OPS-1', { checkedAt: 7_000 }), ticket('b', 'OPS-9')]);
  });

  it('when states are compared, then a new status name, state or disappearance counts as a change and a read time alone does not', () => {
    const before = [ticket('a', 'OPS-1'), ticket('b', 'OPS-2'), ticket('c', 'OPS-3'), ticket('d', 'OPS-4')];
    const after = [
      ticket('a', 'OPS-1', { checkedAt: 9_000 }),
      ticket('b', 'OPS-2', { statusName: 'In Progress' }),
      ticket('c', 'OPS-3', { state: 'wont_do' }),
      ticket('d', 'OPS-4', { gone: true }),
    ];

    expect(changedTickets(before, after).map((t) => t.key)).toEqual(['OPS-2', 'OPS-3', 'OPS-4']);
  });

  it("when every ticket is done, won't do or gone, then none is open", () => {
    expect(anyOpen([ticket('a', 'OPS-1', { state: 'done' }), ticket('b', 'OPS-2', { state: 'wont_do' }), ticket('c', 'OPS-3', { gone: true })])).toBe(false);
    expect(anyOpen([ticket('a', 'OPS-1', { state: 'done' }), ticket('b', 'OPS-2')])).toBe(true);
    expect(anyOpen(undefined)).toBe(false);
  });
});
