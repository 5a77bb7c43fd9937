// The escalation part of the IncidentStore contract, run inside describeIncidentStoreContract:
// optimistic versions on every write, and claims that let several bot processes poll deadlines
// without two of them handling the same timeout.

import { cancelEscalation, recordNotice, recordPagedUsers, type Escalation, type NewEscalation } from '../../src/domain/escalation';
import type { Incident } from '../../src/domain/incident';
import { EscalationConflictError, type IncidentChange, type Storage } from '../../src/ports/incident-store';
import { MINUTE, newEscalation, newEvent, newIncident, T0 } from './fixtures';

const LEASE = 30_000;

/** `currentStore` returns the store the enclosing contract opened for the running test. */
export function describeEscalationStoreContract(currentStore: () => Storage): void {
  describe('escalations', () => {
    let store: Storage;
    let incident: Incident;

    beforeEach(async () => {
      store = currentStore();
      incident = (await store.declareIncident(newIncident(), [newEvent({ kind: 'declared' })], [])).incident;
    });

    const stored = (escalation: NewEscalation, version = 1): Escalation => ({ ...escalation, version });
    const ids = (escalations: Escalation[]): string[] => escalations.map((e) => e.id);

    /** Creates them in one change, as paging does. */
    async function create(...escalations: NewEscalation[]): Promise<Escalation[]> {
      const writes = escalations.map((escalation) => ({ escalation, expectedVersion: null }));
      return (await store.applyChange({ incidentId: incident.id, escalations: writes, now: T0 })).escalations;
    }

    /** Writes the next state of an escalation, expecting the version it was read at. */
    async function write(next: Escalation, now = T0 + MINUTE): Promise<Escalation> {
      const change = { incidentId: incident.id, escalations: [{ escalation: next, expectedVersion: next.version }], now };
      const [written] = (await store.applyChange(change)).escalations;
      return written;
    }

    describe('creating and writing', () => {
      it('when escalations come with a declare, then they are stored at version 1 with the incident', async () => {
        const declared = newIncident();
        const escalation = newEscalation(declared.id);
        const result = await store.declareIncident(declared, [newEvent()], [], [escalation]);
        expect(result.escalations).toStrictEqual([stored(escalation)]);
        expect(await store.getEscalation(escalation.id)).toStrictEqual(stored(escalation));
        expect(await store.listEscalations(declared.id)).toStrictEqual([stored(escalation)]);
      });

      it('when a declare is a duplicate, then its escalations are not stored', async () => {
        const event = newEvent({ kind: 'declared' });
        const first = newIncident();
        await store.declareIncident(first, [event], []);
        const retry = newIncident();
        const escalation = newEscalation(retry.id);
        const again = await store.declareIncident(retry, [event], [], [escalation]);
        expect(again).toMatchObject({ duplicate: true, escalations: [] });
        expect(await store.getEscalation(escalation.id)).toBeUndefined();
      });

      it('when a change creates one, then it is stored at version 1, whatever version it carries', async () => {
        const escalation = newEscalation(incident.id);
        const effect = { kind: 'escalation.page', escalationId: escalation.id, level: 0 } as const;
        const result = await store.applyChange({
          incidentId: incident.id,
          effects: [effect],
          escalations: [{ escalation: { ...escalation, version: 7 }, expectedVersion: null }],
          now: T0,
        });
        expect(result.escalations).toStrictEqual([stored(escalation)]);
        expect(await store.getEscalation(escalation.id)).toStrictEqual(stored(escalation));
        expect((await store.outbox.pending(incident.id)).map((e) => e.spec)).toEqual([effect]);
      });

      it('when an escalation with every field is stored, then it reads back exactly', async () => {
        const full = newEscalation(incident.id, {
          target: { kind: 'usergroup', id: 'S1', handle: 'platform-oncall' },
          levels: [
            { userIds: ['U1'], usergroupIds: ['S1'], timeoutMs: 5 * MINUTE },
            { userIds: [], usergroupIds: ['S2'] },
          ],
          reason: 'checkout is down',
          trigger: 'automatic',
          state: 'acknowledged',
          currentLevel: 1,
          deadlineAt: T0 + 10 * MINUTE,
          pages: [
            {
              level: 0,
              pagedAt: T0,
              userIds: ['U1', 'U3'],
              notices: [
                { userId: 'U1', channelId: 'D1', ts: '1709283600.000100' },
                { userId: 'U3', error: 'user_disabled' },
              ],
              timedOutAt: T0 + 5 * MINUTE,
            },
            { level: 1, pagedAt: T0 + 5 * MINUTE, notices: [] },
          ],
          acknowledgedBy: 'U4',
          acknowledgedAt: T0 + 6 * MINUTE,
          endedAt: T0 + 6 * MINUTE,
        });
        await create(full);
        expect(await store.getEscalation(full.id)).toStrictEqual(stored(full));
        expect(await store.listEscalations(incident.id)).toStrictEqual([stored(full)]);
      });

      it('when optional fields are omitted or undefined, then they read back absent, not null', async () => {
        const { deadlineAt: _deadline, ...minimal } = newEscalation(incident.id);
        const [created] = await create({ ...minimal, reason: undefined });
        expect(created).toStrictEqual(stored(minimal));
        expect(await store.getEscalation(minimal.id)).toStrictEqual(stored(minimal));
        expect(await store.getEscalation(minimal.id)).not.toHaveProperty('reason');
      });

      it('when it is written with the version it was read at, then each write bumps the version', async () => {
        const [v1] = await create(newEscalation(incident.id));
        const v2 = await write(recordPagedUsers(v1, 0, ['U9']));
        const v3 = await write(cancelEscalation(v2, T0 + 2 * MINUTE));
        expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
        expect(v3).toStrictEqual({ ...cancelEscalation(v2, T0 + 2 * MINUTE), version: 3 });
        expect(await store.getEscalation(v1.id)).toStrictEqual(v3);
      });

      it('when the expected version is stale, then it rejects with a conflict and nothing of the change is written', async () => {
        const [read] = await create(newEscalation(incident.id));
        const winner = await write(recordPagedUsers(read, 0, ['U9'])); // someone else wrote first
        const before = await store.getIncident(incident.id);
        const bystander = newEscalation(incident.id);
        const event = newEvent({ incidentId: incident.id, text: 'cancelled' });
        const change: IncidentChange = {
          incidentId: incident.id,
          patch: { title: 'changed' },
          events: [event],
          effects: [{ kind: 'escalation.settle', escalationId: read.id }],
          // The create comes first, so it was already written when the conflict is found.
          escalations: [
            { escalation: bystander, expectedVersion: null },
            { escalation: cancelEscalation(read, T0 + 2 * MINUTE), expectedVersion: read.version },
          ],
          now: T0 + 2 * MINUTE,
        };
        await expect(store.applyChange(change)).rejects.toBeInstanceOf(EscalationConflictError);
        await expect(store.applyChange(change)).rejects.toMatchObject({ escalationId: read.id });
        expect(await store.getEscalation(read.id)).toStrictEqual(winner);
        expect(await store.getEscalation(bystander.id)).toBeUndefined();
        expect(await store.getIncident(incident.id)).toStrictEqual(before);
        expect(await store.findEventBySource(event.sourceId)).toBeUndefined();
        expect(await store.outbox.pending(incident.id)).toEqual([]);
      });

      it('when an update names an escalation that does not exist, then it is a conflict', async () => {
        const ghost = stored(newEscalation(incident.id));
        const change = { incidentId: incident.id, escalations: [{ escalation: ghost, expectedVersion: 1 }], now: T0 };
        await expect(store.applyChange(change)).rejects.toBeInstanceOf(EscalationConflictError);
        expect(await store.getEscalation(ghost.id)).toBeUndefined();
      });

      it('when a change repeats a stored sourceId, then it is a duplicate even with a stale version', async () => {
        const [read] = await create(newEscalation(incident.id));
        const winner = await write(recordPagedUsers(read, 0, ['U9']));
        const event = newEvent({ incidentId: incident.id });
        await store.applyChange({ incidentId: incident.id, events: [event], now: T0 });
        const redelivery = {
          incidentId: incident.id,
          events: [event],
          escalations: [{ escalation: cancelEscalation(read, T0 + 2 * MINUTE), expectedVersion: read.version }],
          now: T0 + 2 * MINUTE,
        };
        expect(await store.applyChange(redelivery)).toMatchObject({ duplicate: true, escalations: [] });
        expect(await store.getEscalation(read.id)).toStrictEqual(winner);
      });

      it('when a change creates an id that is already stored, then it rejects and nothing is written', async () => {
        const [existing] = await create(newEscalation(incident.id));
        const event = newEvent({ incidentId: incident.id });
        const change = { incidentId: incident.id, events: [event], escalations: [{ escalation: { ...existing, reason: 'again' }, expectedVersion: null }], now: T0 };
        // Not toThrow(): a native driver's error may come from another realm (see sqlite-store.test.ts).
        await expect(store.applyChange(change)).rejects.toHaveProperty('message');
        expect(await store.getEscalation(existing.id)).toStrictEqual(existing);
        expect(await store.findEventBySource(event.sourceId)).toBeUndefined();
      });

      it('when a change carries an escalation of another incident, then it rejects and nothing is written', async () => {
        const other = (await store.declareIncident(newIncident(), [newEvent()], [])).incident;
        const stray = newEscalation(other.id);
        const change = { incidentId: incident.id, escalations: [{ escalation: stray, expectedVersion: null }], now: T0 };
        await expect(store.applyChange(change)).rejects.toThrow(stray.id);
        expect(await store.getEscalation(stray.id)).toBeUndefined();
      });
    });

    describe('claims', () => {
      it('when claiming, then only paging escalations past their deadline that nobody holds come back, by deadline', async () => {
        const due = newEscalation(incident.id, { deadlineAt: T0 + MINUTE });
        const dueNow = newEscalation(incident.id, { deadlineAt: T0 + 2 * MINUTE });
        const notYet = newEscalation(incident.id, { deadlineAt: T0 + 2 * MINUTE + 1 });
        const ended = newEscalation(incident.id, { state: 'exhausted', deadlineAt: T0 });
        const { deadlineAt: _none, ...noDeadline } = newEscalation(incident.id);
        const held = newEscalation(incident.id, { deadlineAt: T0 });
        await create(dueNow, notYet, ended, noDeadline, held, due);
        expect(await store.claimDueEscalations(T0, 'other', 10 * MINUTE, 10)).toStrictEqual([stored(held)]);
        const claimed = await store.claimDueEscalations(T0 + 2 * MINUTE, 'me', LEASE, 10);
        expect(claimed).toStrictEqual([stored(due), stored(dueNow)]);
      });

      it('when more are due than the limit, then the earliest deadlines are claimed first', async () => {
        const [c, a, b] = await create(
          newEscalation(incident.id, { deadlineAt: T0 + 3 * MINUTE }),
          newEscalation(incident.id, { deadlineAt: T0 + MINUTE }),
          newEscalation(incident.id, { deadlineAt: T0 + 2 * MINUTE }),
        );
        expect(ids(await store.claimDueEscalations(T0 + 5 * MINUTE, 'me', LEASE, 2))).toEqual([a.id, b.id]);
        expect(ids(await store.claimDueEscalations(T0 + 5 * MINUTE, 'me', LEASE, 2))).toEqual([c.id]);
      });

      it('when a second claimer comes at the same time, then it gets nothing and the version is unchanged', async () => {
        const [escalation] = await create(newEscalation(incident.id));
        const now = T0 + MINUTE;
        expect(await store.claimDueEscalations(now, 'a', LEASE, 10)).toStrictEqual([escalation]);
        expect(await store.claimDueEscalations(now, 'b', LEASE, 10)).toEqual([]);
        expect(await store.getEscalation(escalation.id)).toStrictEqual(escalation);
      });

      it('when leaseMs has passed since a claim, then another owner can take it', async () => {
        const [escalation] = await create(newEscalation(incident.id));
        const now = T0 + MINUTE;
        await store.claimDueEscalations(now, 'crashed', LEASE, 10);
        expect(await store.claimDueEscalations(now + LEASE - 1, 'b', LEASE, 10)).toEqual([]);
        expect(await store.claimDueEscalations(now + LEASE, 'b', LEASE, 10)).toStrictEqual([escalation]);
        expect(await store.claimDueEscalations(now + LEASE, 'crashed', LEASE, 10)).toEqual([]);
      });

      it('when someone other than the owner releases a claim, then the claim stays', async () => {
        const [escalation] = await create(newEscalation(incident.id));
        const now = T0 + MINUTE;
        await store.claimDueEscalations(now, 'a', LEASE, 10);
        await store.releaseEscalation(escalation.id, 'b');
        expect(await store.claimDueEscalations(now, 'b', LEASE, 10)).toEqual([]);
        await store.releaseEscalation(escalation.id, 'a');
        expect(await store.claimDueEscalations(now, 'b', LEASE, 10)).toStrictEqual([escalation]);
      });

      it('when a claimed escalation is written, then the write releases the claim', async () => {
        const [escalation] = await create(newEscalation(incident.id));
        const now = T0 + MINUTE;
        const [claimed] = await store.claimDueEscalations(now, 'a', LEASE, 10);
        const written = await write(recordNotice(claimed, 0, { userId: 'U9', channelId: 'D9', ts: '1.2' }), now);
        expect(written.version).toBe(escalation.version + 1);
        expect(await store.claimDueEscalations(now, 'b', LEASE, 10)).toStrictEqual([written]);
      });
    });

    describe('listing and deadlines', () => {
      it('when listing, then escalations come in creation order, insertion order breaking ties', async () => {
        const other = (await store.declareIncident(newIncident(), [newEvent()], [])).incident;
        const [late] = await create(newEscalation(incident.id, { createdAt: T0 + 2 * MINUTE }));
        const [early] = await create(newEscalation(incident.id, { createdAt: T0 + MINUTE }));
        const [tie1, tie2] = await create(newEscalation(incident.id, { createdAt: T0 + 3 * MINUTE }), newEscalation(incident.id, { createdAt: T0 + 3 * MINUTE }));
        const [tie3] = await create(newEscalation(incident.id, { createdAt: T0 + 3 * MINUTE }));
        const elsewhere = newEscalation(other.id);
        await store.applyChange({ incidentId: other.id, escalations: [{ escalation: elsewhere, expectedVersion: null }], now: T0 });
        expect(ids(await store.listEscalations(incident.id))).toEqual(ids([early, late, tie1, tie2, tie3]));
        expect(await store.listEscalations('nope')).toEqual([]);
        expect(await store.getEscalation('nope')).toBeUndefined();
      });

      it('when there are paging escalations with deadlines, then the next deadline is the earliest of them', async () => {
        expect(await store.nextEscalationDeadline()).toBeUndefined();
        const { deadlineAt: _none, ...noDeadline } = newEscalation(incident.id);
        const [, first] = await create(
          newEscalation(incident.id, { deadlineAt: T0 + 3 * MINUTE }),
          newEscalation(incident.id, { deadlineAt: T0 + 2 * MINUTE }),
          newEscalation(incident.id, { state: 'exhausted', deadlineAt: T0 + MINUTE }),
          noDeadline,
        );
        expect(await store.nextEscalationDeadline()).toBe(T0 + 2 * MINUTE);
        await store.claimDueEscalations(T0 + 2 * MINUTE, 'a', LEASE, 10); // a claim does not hide it
        expect(await store.nextEscalationDeadline()).toBe(T0 + 2 * MINUTE);
        await write(cancelEscalation(first, T0 + 2 * MINUTE));
        expect(await store.nextEscalationDeadline()).toBe(T0 + 3 * MINUTE);
      });
    });
  });
}
