// The outbox contract: effects enqueued by a change (in its transaction), claimed, renewed, completed,
// retried and abandoned. Run inside describeIncidentStoreContract against each adapter's outbox.

import type { Effect, EffectSpec } from '../../src/domain/effects';
import type { Incident, NewIncident } from '../../src/domain/incident';
import type { Storage } from '../../src/ports/incident-store';
import { MINUTE, newEvent, newIncident, T0 } from './fixtures';

const HEADER: EffectSpec = { kind: 'header.update' };

/** `currentStore` returns the store the enclosing contract opened for the running test. */
export function describeOutboxContract(currentStore: () => Storage): void {
  describe('outbox', () => {
    let store: Storage;

    beforeEach(() => {
      store = currentStore();
    });

    async function declare(overrides: Partial<NewIncident> = {}, effects: EffectSpec[] = [{ kind: 'header.post' }]): Promise<Incident> {
      const at = overrides.declaredAt ?? T0;
      const result = await store.declareIncident(newIncident(overrides), [newEvent({ kind: 'declared', text: 'declared', at, recordedAt: at })], effects);
      return result.incident;
    }

    describe('enqueueing with the change', () => {
      describe('coalescing', () => {
        let incident: Incident;
        beforeEach(async () => {
          incident = await declare({}, []);
        });
        const change = (effects: EffectSpec[], now = T0 + MINUTE) => store.applyChange({ incidentId: incident.id, effects, now });
        const pendingKinds = async () => (await store.outbox.pending(incident.id)).map((e) => e.spec.kind);

        it('when changes queue header updates while one is pending, then only that one stays pending', async () => {
          await change([HEADER]);
          await change([HEADER, { kind: 'channel.post', text: 'one' }], T0 + 2 * MINUTE);
          await change([HEADER, HEADER], T0 + 3 * MINUTE);
          expect(await pendingKinds()).toEqual(['header.update', 'channel.post']);
        });

        it('when changes queue announcement card edits, then they coalesce the same way, apart from header updates', async () => {
          await change([{ kind: 'announcement.update' }, HEADER]);
          await change([HEADER, { kind: 'announcement.update' }, { kind: 'announcement.update' }], T0 + 2 * MINUTE);
          expect(await pendingKinds()).toEqual(['announcement.update', 'header.update']);
        });

        it('when the pending header update is claimed, then a new one is stored: the claimed one may have rendered already', async () => {
          await change([HEADER]);
          const [claimed] = await store.outbox.pending(incident.id);
          expect(await store.outbox.claim(claimed.id, 'runner', T0 + MINUTE, 30_000)).toBe(true);
          await change([HEADER], T0 + 2 * MINUTE);
          await change([HEADER], T0 + 3 * MINUTE);
          expect(await pendingKinds()).toEqual(['header.update', 'header.update']);
        });

        it('when the pending header update waits out a backoff, then a new one due now is stored', async () => {
          await change([HEADER]);
          const [retried] = await store.outbox.pending(incident.id);
          await store.outbox.retry(retried.id, T0 + 10 * MINUTE, 'ratelimited');
          await change([HEADER], T0 + 2 * MINUTE);
          const pending = await store.outbox.pending(incident.id);
          expect(pending.map((e) => [e.spec.kind, e.notBefore])).toEqual([
            ['header.update', T0 + 10 * MINUTE],
            ['header.update', T0 + 2 * MINUTE],
          ]);
        });

        it('when the header update is done, then the next change queues a new one', async () => {
          await change([HEADER]);
          const [done] = await store.outbox.pending(incident.id);
          await store.outbox.complete([done.id]);
          await change([HEADER], T0 + 2 * MINUTE);
          expect(await pendingKinds()).toEqual(['header.update']);
        });

        it('when another incident has a pending header update, then this one still gets its own', async () => {
          const other = (await store.declareIncident(newIncident(), [newEvent()], [HEADER])).incident;
          await change([HEADER]);
          expect(await pendingKinds()).toEqual(['header.update']);
          expect((await store.outbox.pending(other.id)).map((e) => e.spec.kind)).toEqual(['header.update']);
        });
      });

      it('when a change is a duplicate, then it enqueues nothing', async () => {
        const incident = await declare({}, []);
        const note = newEvent({ sourceId: 'cmd-1' });
        await store.applyChange({ incidentId: incident.id, events: [note], effects: [HEADER], now: T0 + MINUTE });
        const again = await store.applyChange({ incidentId: incident.id, events: [note], effects: [HEADER], now: T0 + 2 * MINUTE });
        expect(again.duplicate).toBe(true);
        expect(await store.outbox.pending(incident.id)).toHaveLength(1);
      });

      it('when a change is rolled back, then its effects are not enqueued either', async () => {
        const incident = await declare({}, []);
        const rejected = store.applyChange({ incidentId: incident.id, patch: { title: undefined as unknown as string }, effects: [HEADER], now: T0 + MINUTE });
        await expect(rejected).rejects.toThrow();
        expect(await store.outbox.pending(incident.id)).toEqual([]);
      });
    });

    describe('effect queue', () => {
      it('when effects are queued over several changes, then pending returns them oldest first', async () => {
        const incident = await declare({}, [{ kind: 'channel.create', name: 'inc' }, { kind: 'header.post' }]);
        await store.applyChange({ incidentId: incident.id, effects: [{ kind: 'channel.post', text: 'hi' }], now: T0 + MINUTE });
        const pending = await store.outbox.pending(incident.id);
        expect(pending.map((e) => e.spec.kind)).toEqual(['channel.create', 'header.post', 'channel.post']);
        expect(pending.map((e) => e.id)).toEqual([...pending.map((e) => e.id)].sort((a, b) => a - b));
      });

      it('when an effect is retried, then it stays pending with its error but is not due before notBefore', async () => {
        const incident = await declare();
        const [effect] = await store.outbox.pending(incident.id);
        await store.outbox.retry(effect.id, T0 + 5 * MINUTE, 'ratelimited');
        await store.outbox.retry(effect.id, T0 + 9 * MINUTE, 'timeout');
        const retried = { ...effect, attempts: 2, notBefore: T0 + 9 * MINUTE, lastError: 'timeout' };
        expect(await store.outbox.pending(incident.id)).toEqual([retried]);
        expect(await store.outbox.dueIncidents(T0 + 9 * MINUTE - 1)).toEqual([]);
        expect(await store.outbox.dueIncidents(T0 + 9 * MINUTE)).toEqual([incident.id]);
      });

      it('when effects are completed or abandoned, then they leave the queue', async () => {
        const incident = await declare({}, [{ kind: 'header.post' }, { kind: 'channel.describe' }, { kind: 'declarer.reply' }]);
        const [done, abandoned, left] = await store.outbox.pending(incident.id);
        await store.outbox.complete([done.id]);
        await store.outbox.abandon(abandoned.id, 'channel_not_found');
        expect(await store.outbox.pending(incident.id)).toEqual([left]);
        await store.outbox.complete([left.id]);
        expect(await store.outbox.dueIncidents(T0)).toEqual([]);
      });

      it('when some incidents have due effects, then each of them is listed once', async () => {
        const early = await declare({}, [{ kind: 'header.post' }, { kind: 'channel.describe' }]);
        const later = await declare({}, []);
        await declare({}, []);
        await store.applyChange({ incidentId: later.id, effects: [{ kind: 'header.update' }], now: T0 + 10 * MINUTE });
        expect(await store.outbox.dueIncidents(T0)).toEqual([early.id]);
        expect((await store.outbox.dueIncidents(T0 + 10 * MINUTE)).sort()).toEqual([early.id, later.id].sort());
      });
    });

    describe('effect claims', () => {
      const LEASE = 30_000;
      const NOW = T0 + MINUTE;

      async function pendingEffect(): Promise<{ incident: Incident; effect: Effect }> {
        const incident = await declare();
        const [effect] = await store.outbox.pending(incident.id);
        return { incident, effect };
      }

      it('when two owners claim an effect at the same time, then only the first gets it', async () => {
        const { effect } = await pendingEffect();
        expect(await store.outbox.claim(effect.id, 'a', NOW, LEASE)).toBe(true);
        expect(await store.outbox.claim(effect.id, 'b', NOW, LEASE)).toBe(false);
        expect(await store.outbox.claim(effect.id, 'b', NOW + LEASE - 1, LEASE)).toBe(false);
      });

      it('when claims race concurrently, then exactly one owner wins', async () => {
        const { effect } = await pendingEffect();
        const owners = ['a', 'b', 'c', 'd', 'e'];
        const results = await Promise.all(owners.map((owner) => store.outbox.claim(effect.id, owner, NOW, LEASE)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('when the owner claims again, then it keeps the effect and the lease is extended', async () => {
        const { effect } = await pendingEffect();
        await store.outbox.claim(effect.id, 'a', NOW, LEASE);
        expect(await store.outbox.claim(effect.id, 'a', NOW + LEASE - 1, LEASE)).toBe(true);
        // Renewed until NOW + 2 * LEASE - 1: still held when the first lease would have ended.
        expect(await store.outbox.claim(effect.id, 'b', NOW + LEASE, LEASE)).toBe(false);
        expect(await store.outbox.claim(effect.id, 'b', NOW + 2 * LEASE - 1, LEASE)).toBe(true);
      });

      it('when a claim has expired, then another owner can take the effect and the first one loses it', async () => {
        const { effect } = await pendingEffect();
        await store.outbox.claim(effect.id, 'a', NOW, LEASE);
        expect(await store.outbox.claim(effect.id, 'b', NOW + LEASE, LEASE)).toBe(true);
        expect(await store.outbox.claim(effect.id, 'a', NOW + LEASE, LEASE)).toBe(false);
      });

      it('when an effect is claimed, then it reads back started at that time, without the owner or lease', async () => {
        const { incident, effect } = await pendingEffect();
        await store.outbox.claim(effect.id, 'a', NOW, LEASE);
        expect(await store.outbox.pending(incident.id)).toStrictEqual([{ ...effect, startedAt: NOW }]);
        expect(await store.outbox.dueIncidents(NOW)).toEqual([incident.id]);
      });

      it('when it is renewed, retried and claimed by another owner, then it keeps the time of the first claim', async () => {
        const { incident, effect } = await pendingEffect();
        const startedAt = async () => (await store.outbox.pending(incident.id))[0].startedAt;
        expect(await startedAt()).toBeUndefined();
        await store.outbox.claim(effect.id, 'a', NOW, LEASE);
        await store.outbox.claim(effect.id, 'a', NOW + 1000, LEASE);
        await store.outbox.retry(effect.id, NOW + 2000, 'ratelimited');
        expect(await startedAt()).toBe(NOW);
        expect(await store.outbox.claim(effect.id, 'b', NOW + 2000, LEASE)).toBe(true);
        expect(await store.outbox.claim(effect.id, 'c', NOW + 2000 + LEASE, LEASE)).toBe(true);
        expect(await startedAt()).toBe(NOW);
      });

      it('when a claimed effect is retried, then the claim ends and another owner can take it once due', async () => {
        const { effect } = await pendingEffect();
        await store.outbox.claim(effect.id, 'a', NOW, LEASE);
        await store.outbox.retry(effect.id, NOW + 1000, 'ratelimited');
        expect(await store.outbox.claim(effect.id, 'b', NOW + 999, LEASE)).toBe(false); // not due yet
        expect(await store.outbox.claim(effect.id, 'b', NOW + 1000, LEASE)).toBe(true);
      });

      it('when a claimed effect is completed or abandoned, then nobody can claim it any more', async () => {
        const incident = await declare({}, [{ kind: 'header.post' }, { kind: 'channel.describe' }]);
        const [done, abandoned] = await store.outbox.pending(incident.id);
        await store.outbox.claim(done.id, 'a', NOW, LEASE);
        await store.outbox.claim(abandoned.id, 'a', NOW, LEASE);
        await store.outbox.complete([done.id]);
        await store.outbox.abandon(abandoned.id, 'channel_not_found');
        for (const owner of ['a', 'b']) {
          expect(await store.outbox.claim(done.id, owner, NOW, LEASE)).toBe(false);
          expect(await store.outbox.claim(abandoned.id, owner, NOW + 10 * LEASE, LEASE)).toBe(false);
        }
      });

      it('when an effect is not due yet or unknown, then it cannot be claimed', async () => {
        const incident = await declare({}, []);
        await store.applyChange({ incidentId: incident.id, effects: [{ kind: 'header.update' }], now: NOW });
        const [effect] = await store.outbox.pending(incident.id);
        expect(await store.outbox.claim(effect.id, 'a', NOW - 1, LEASE)).toBe(false);
        expect(await store.outbox.claim(effect.id, 'a', NOW, LEASE)).toBe(true);
        expect(await store.outbox.claim(effect.id + 1000, 'a', NOW, LEASE)).toBe(false);
      });
    });

    describe('renew', () => {
      const LEASE = 30_000;
      const NOW = T0 + MINUTE;

      async function claimed(): Promise<Effect> {
        const incident = await declare();
        const [effect] = await store.outbox.pending(incident.id);
        expect(await store.outbox.claim(effect.id, 'a', NOW, LEASE)).toBe(true);
        return effect;
      }

      it('when the owner renews before the lease ends, then the claim lasts a lease from the renewal', async () => {
        const effect = await claimed();
        expect(await store.outbox.renew(effect.id, 'a', NOW + LEASE - 1, LEASE)).toBe(true);
        expect(await store.outbox.claim(effect.id, 'b', NOW + LEASE, LEASE)).toBe(false);
        expect(await store.outbox.claim(effect.id, 'b', NOW + 2 * LEASE - 1, LEASE)).toBe(true);
      });

      it('when the claim lapsed and another owner took it, then renewing fails and the other keeps it', async () => {
        const effect = await claimed();
        expect(await store.outbox.claim(effect.id, 'b', NOW + LEASE, LEASE)).toBe(true);
        expect(await store.outbox.renew(effect.id, 'a', NOW + LEASE + 1, LEASE)).toBe(false);
        expect(await store.outbox.renew(effect.id, 'b', NOW + LEASE + 1, LEASE)).toBe(true);
      });

      it('when the claim lapsed and nobody took it, then the owner holds it again', async () => {
        const effect = await claimed();
        expect(await store.outbox.renew(effect.id, 'a', NOW + 5 * LEASE, LEASE)).toBe(true);
        expect(await store.outbox.claim(effect.id, 'b', NOW + 5 * LEASE + 1, LEASE)).toBe(false);
      });

      it('when the effect was retried, then a late renewal does not hold it again: another owner takes it once due', async () => {
        const effect = await claimed();
        await store.outbox.retry(effect.id, NOW + 1000, 'ratelimited');
        expect(await store.outbox.renew(effect.id, 'a', NOW + 1, LEASE)).toBe(false);
        expect(await store.outbox.claim(effect.id, 'b', NOW + 1000, LEASE)).toBe(true);
      });

      it('when the effect is done, abandoned or unknown, then renewing fails', async () => {
        const effect = await claimed();
        await store.outbox.complete([effect.id]);
        expect(await store.outbox.renew(effect.id, 'a', NOW + 1, LEASE)).toBe(false);
        const other = await claimed();
        await store.outbox.abandon(other.id, 'channel_not_found');
        expect(await store.outbox.renew(other.id, 'a', NOW + 1, LEASE)).toBe(false);
        expect(await store.outbox.renew(other.id + 1000, 'a', NOW + 1, LEASE)).toBe(false);
      });
    });

    describe('complete', () => {
      it('when several effects are completed at once, then they all leave the queue and the others stay', async () => {
        const incident = await declare({}, [{ kind: 'channel.post', text: 'a' }, { kind: 'channel.post', text: 'b' }, { kind: 'channel.describe' }]);
        const [a, b, kept] = await store.outbox.pending(incident.id);
        await store.outbox.claim(a.id, 'runner', T0 + MINUTE, 30_000);
        await store.outbox.complete([a.id, b.id, b.id + 1000]);
        expect(await store.outbox.pending(incident.id)).toEqual([kept]);
        expect(await store.outbox.claim(a.id, 'runner', T0 + MINUTE, 30_000)).toBe(false);
        await store.outbox.complete([]);
        expect(await store.outbox.pending(incident.id)).toEqual([kept]);
      });
    });
  });
}
