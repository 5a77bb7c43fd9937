// What every IncidentStore adapter must do, written once against the port. Each adapter's test file
// calls describeIncidentStoreContract with a factory that opens a fresh, empty store.

import type { EffectSpec } from '../../src/domain/effects';
import type { Incident, NewIncident } from '../../src/domain/incident';
import type { NewTimelineEvent, TimelineEvent } from '../../src/domain/timeline';
import type { TranscriptMessage } from '../../src/domain/transcript';
import type { Storage } from '../../src/ports/incident-store';
import { describeEscalationStoreContract } from './escalation-store.contract';
import { describeOutboxContract } from './outbox.contract';
import { describeTimelineSummaryContract } from './timeline-summary.contract';
import { MINUTE, newEvent, newIncident, T0 } from './fixtures';

/** `corrupt` rewrites an incident's stored document behind the store's back, as another program might. */
export type OpenStore = () => Promise<{ store: Storage; cleanup: () => Promise<void>; corrupt?: (incidentId: string, fields: Record<string, unknown>) => Promise<void> }>;

export function describeIncidentStoreContract(adapterName: string, openStore: OpenStore): void {
  describe(`IncidentStore contract (${adapterName})`, () => {
    let store: Storage;
    let cleanup: () => Promise<void>;
    let corrupt: ((incidentId: string, fields: Record<string, unknown>) => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, cleanup, corrupt } = await openStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    async function declare(overrides: Partial<NewIncident> = {}, effects: EffectSpec[] = [{ kind: 'header.post' }]): Promise<Incident> {
      const at = overrides.declaredAt ?? T0;
      const declared = newEvent({ kind: 'declared', text: 'declared', at, recordedAt: at });
      const result = await store.declareIncident(newIncident(overrides), [declared], effects);
      return result.incident;
    }

    async function addEvents(incidentId: string, ...events: Partial<NewTimelineEvent>[]): Promise<TimelineEvent[]> {
      const result = await store.applyChange({ incidentId, events: events.map((e) => newEvent({ incidentId, ...e })), now: T0 });
      return result.events;
    }

    describe('declareIncident', () => {
      it('when incidents are declared in one team, then they are numbered 1, 2, 3', async () => {
        const numbers = [(await declare()).number, (await declare()).number, (await declare()).number];
        expect(numbers).toEqual([1, 2, 3]);
      });

      it('when two teams declare, then each team counts from 1 on its own', async () => {
        const [a1, b1, a2] = [await declare({ teamId: 'TA' }), await declare({ teamId: 'TB' }), await declare({ teamId: 'TA' })];
        expect([a1.number, b1.number, a2.number]).toEqual([1, 1, 2]);
      });

      it('when 20 declares run concurrently, then every incident gets a distinct number', async () => {
        const incidents = await Promise.all(Array.from({ length: 20 }, () => declare()));
        expect(incidents.map((i) => i.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      });

      it('when an incident with every field is declared, then it reads back exactly', async () => {
        const full = newIncident({
          description: 'Payments fail at checkout',
          roles: { scribe: 'U3', comms: 'U4' },
          impact: 'EU customers cannot pay',
          rootCause: 'expired certificate',
          resolutionSummary: 'certificate renewed',
          conclusion: 'automate renewals',
          isPrivate: true,
          resolvedAt: T0 + 30 * MINUTE,
          closedAt: T0 + 60 * MINUTE,
          chat: { channelId: 'C1', channelName: 'inc-1-checkout', headerTs: '1709283600.000100' },
          declarerReplyUrl: 'https://hooks.slack.test/reply',
          declaredFromChannelId: 'C0',
        });
        const result = await store.declareIncident(full, [newEvent()], []);
        const expected: Incident = { ...full, number: 1, updatedAt: full.declaredAt };
        expect(result).toMatchObject({ duplicate: false, incident: expected });
        expect(await store.getIncident(full.id)).toStrictEqual(expected);
      });

      it('when optional fields are omitted or undefined, then they read back absent, not null', async () => {
        const minimal = newIncident({ description: undefined });
        const result = await store.declareIncident(minimal, [newEvent({ actorId: undefined })], []);
        const { description: _omitted, ...rest } = minimal;
        const expected = { ...rest, number: 1, updatedAt: T0 };
        expect(result.incident).toStrictEqual(expected);
        expect(await store.getIncident(minimal.id)).toStrictEqual(expected);
        expect((await store.listTimeline(minimal.id))[0]).not.toHaveProperty('actorId');
      });

      it('when declared, then its events are stored under the incident with fresh ids', async () => {
        const incident = newIncident();
        const events = [newEvent({ kind: 'declared', actorId: 'U2' }), newEvent({ data: { severity: 'sev2', page: true, n: 1, none: null } })];
        const result = await store.declareIncident(incident, events, []);
        expect(result.events).toEqual(events.map((e) => ({ ...e, id: expect.any(String), incidentId: incident.id })));
        expect(new Set(result.events.map((e) => e.id)).size).toBe(2);
        expect(await store.listTimeline(incident.id)).toStrictEqual(result.events);
      });

      it('when declared, then its effects are pending, untried and due at once', async () => {
        const incident = await declare({}, [{ kind: 'channel.create', name: 'inc-checkout' }, { kind: 'header.post' }]);
        const pending = await store.outbox.pending(incident.id);
        expect(pending.map((e) => e.spec)).toEqual([{ kind: 'channel.create', name: 'inc-checkout' }, { kind: 'header.post' }]);
        expect(pending.every((e) => e.attempts === 0 && e.lastError === undefined && e.startedAt === undefined && e.incidentId === incident.id)).toBe(true);
        expect(await store.outbox.dueIncidents(incident.declaredAt)).toEqual([incident.id]);
      });

      it('when the first event was already stored, then nothing is written and the original incident comes back', async () => {
        const first = newIncident();
        const event = newEvent({ kind: 'declared' });
        const original = await store.declareIncident(first, [event], [{ kind: 'header.post' }]);
        const retry = newIncident({ title: 'retried delivery' });
        const again = await store.declareIncident(retry, [event], [{ kind: 'header.post' }]);
        expect(again).toEqual({ duplicate: true, incident: original.incident, events: original.events, escalations: [] });
        expect(await store.getIncident(retry.id)).toBeUndefined();
        expect(await store.outbox.pending(first.id)).toHaveLength(1);
        expect((await declare()).number).toBe(2);
      });
    });

    describe('reading incidents', () => {
      it('when an id or channel is unknown, then lookups return undefined', async () => {
        expect(await store.getIncident('nope')).toBeUndefined();
        expect(await store.findIncidentByChannel('C-nope')).toBeUndefined();
      });

      it('when an incident gets a channel, then it is found by that channel', async () => {
        const incident = await declare();
        const chat = { channelId: 'C9', channelName: 'inc-9' };
        await store.applyChange({ incidentId: incident.id, patch: { chat }, now: T0 + MINUTE });
        expect(await store.findIncidentByChannel('C9')).toMatchObject({ id: incident.id, chat });
      });

      it("when a channel is not an incident's yet, then its id lookup finds nothing, and finds the incident once it is", async () => {
        const incident = await declare();
        expect(await store.incidentIdForChannel('C9')).toBeUndefined();
        await store.applyChange({ incidentId: incident.id, patch: { chat: { channelId: 'C9', channelName: 'inc-9' } }, now: T0 + MINUTE });
        expect(await store.incidentIdForChannel('C9')).toBe(incident.id);
        expect(await store.incidentIdForChannel('C9')).toBe(incident.id);
        expect(await store.incidentIdForChannel('C-other')).toBeUndefined();
      });

      it('when listing open incidents, then closed ones and other teams are left out, newest declared first', async () => {
        const older = await declare({ declaredAt: T0, status: 'resolved' });
        const closed = await declare({ declaredAt: T0 + MINUTE });
        const newer = await declare({ declaredAt: T0 + 2 * MINUTE });
        await declare({ teamId: 'T2', declaredAt: T0 + 3 * MINUTE });
        await store.applyChange({ incidentId: closed.id, patch: { status: 'closed', closedAt: T0 + 4 * MINUTE }, now: T0 + 4 * MINUTE });
        expect((await store.listOpenIncidents('T1')).map((i) => i.id)).toEqual([newer.id, older.id]);
        expect(await store.listOpenIncidents('T-none')).toEqual([]);
      });

      it('when listing closed incidents, then only closed ones of the team come back, newest declared first, at most the limit', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) {
          const incident = await declare({ declaredAt: T0 + i * MINUTE });
          await store.applyChange({ incidentId: incident.id, patch: { status: 'closed', closedAt: T0 + 10 * MINUTE }, now: T0 + 10 * MINUTE });
          ids.push(incident.id);
        }
        await declare({ declaredAt: T0 + 5 * MINUTE });
        const otherTeam = await declare({ teamId: 'T2', declaredAt: T0 + 6 * MINUTE });
        await store.applyChange({ incidentId: otherTeam.id, patch: { status: 'closed', closedAt: T0 + 10 * MINUTE }, now: T0 + 10 * MINUTE });

        expect((await store.listClosedIncidents('T1', 3)).map((i) => i.id)).toEqual([ids[3], ids[2], ids[1]]);
        expect((await store.listClosedIncidents('T1', 10)).map((i) => i.status)).toEqual(['closed', 'closed', 'closed', 'closed']);
        expect(await store.listClosedIncidents('T-none', 5)).toEqual([]);
      });
    });

    describe('applyChange', () => {
      it('when a patch is applied, then only the keys present change and updatedAt becomes now', async () => {
        const incident = await declare({ description: 'kept' });
        const patch = { severity: 'sev1', roles: { scribe: 'U5' } } as const;
        const result = await store.applyChange({ incidentId: incident.id, patch, now: T0 + MINUTE });
        const expected = { ...incident, ...patch, updatedAt: T0 + MINUTE };
        expect(result).toEqual({ duplicate: false, incident: expected, events: [], escalations: [] });
        expect(await store.getIncident(incident.id)).toStrictEqual(expected);
      });

      it('when a stored incident has an unknown or mistyped field, then reading it fails naming the field, never its value', async () => {
        if (!corrupt) return; // an in-memory database has no second way in
        const incident = await declare();
        await corrupt(incident.id, { stray: 'secret-looking-value' });
        await expect(store.getIncident(incident.id)).rejects.toThrow(/stored incident .* does not match the schema \(\(document\): unknown field stray\)/);
        await expect(store.getIncident(incident.id)).rejects.not.toThrow(/secret-looking-value/);
        await corrupt(incident.id, { stray: undefined, severity: 'sev9' });
        await expect(store.getIncident(incident.id)).rejects.toThrow(/severity/);
      });

      it('when an exported page with its block hashes is patched in, then it reads back exactly', async () => {
        const incident = await declare();
        const confluencePage = {
          pageId: '65538',
          title: 'Postmortem: INC-1',
          url: 'https://acme.atlassian.net/wiki/x',
          version: 3,
          exportedAt: T0,
          blocks: { timeline: 'a1b2', metrics: 'c3d4' },
        };
        await store.applyChange({ incidentId: incident.id, patch: { confluencePage }, now: T0 + MINUTE });
        expect((await store.getIncident(incident.id))?.confluencePage).toStrictEqual(confluencePage);
      });

      it('when tickets and their sync deadline are patched in, then they read back exactly, and clear', async () => {
        const incident = await declare();
        const tickets = [
          { actionSourceId: 'cmd:a1', key: 'OPS-1', url: 'https://jira.example/browse/OPS-1', state: 'open', statusName: 'To Do', createdAt: T0, checkedAt: T0 },
          {
            actionSourceId: 'cmd:a2',
            key: '#7',
            url: 'https://github.example/acme/ops/issues/7',
            state: 'wont_do',
            statusName: 'closed (not_planned)',
            createdAt: T0,
            checkedAt: T0 + MINUTE,
            gone: true,
          },
        ] as const;
        await store.applyChange({ incidentId: incident.id, patch: { tickets: [...tickets], ticketSyncDue: T0 + 60 * MINUTE }, now: T0 + MINUTE });
        expect(await store.getIncident(incident.id)).toStrictEqual({ ...incident, tickets, ticketSyncDue: T0 + 60 * MINUTE, updatedAt: T0 + MINUTE });
        await store.applyChange({ incidentId: incident.id, patch: { ticketSyncDue: undefined }, now: T0 + 2 * MINUTE });
        expect((await store.getIncident(incident.id))?.ticketSyncDue).toBeUndefined();
      });

      it('when a change has no patch, then the incident is left as it was (updatedAt included)', async () => {
        const incident = await declare();
        const result = await store.applyChange({ incidentId: incident.id, events: [newEvent({ at: T0 + MINUTE })], now: T0 + MINUTE });
        expect(result.incident).toStrictEqual(incident);
        expect(await store.getIncident(incident.id)).toStrictEqual(incident);
        expect((await store.listTimeline(incident.id)).map((e) => e.kind)).toEqual(['declared', 'note']);
      });

      it('when a patch key is present with value undefined, then that optional field is cleared', async () => {
        const incident = await declare({ description: 'to clear', impact: 'kept', chat: { channelId: 'C1', channelName: 'inc-1' } });
        await store.applyChange({ incidentId: incident.id, patch: { description: undefined, chat: undefined }, now: T0 + MINUTE });
        const stored = await store.getIncident(incident.id);
        expect(stored).toMatchObject({ impact: 'kept' });
        expect(stored).not.toHaveProperty('description');
        expect(stored).not.toHaveProperty('chat');
        expect(await store.findIncidentByChannel('C1')).toBeUndefined();
      });

      it('when a patch would clear a required field, then it rejects and nothing changes', async () => {
        const incident = await declare();
        await expect(store.applyChange({ incidentId: incident.id, patch: { title: undefined }, now: T0 + MINUTE })).rejects.toThrow('title');
        expect(await store.getIncident(incident.id)).toStrictEqual(incident);
      });

      it('when a change carries events and effects, then they are stored and the effects are due at now', async () => {
        const incident = await declare({}, []);
        const now = T0 + 10 * MINUTE;
        const event = newEvent({ incidentId: incident.id, kind: 'status', actorId: 'U1', text: 'monitoring' });
        const result = await store.applyChange({ incidentId: incident.id, events: [event], effects: [{ kind: 'header.update' }], now });
        expect(result.events).toEqual([{ ...event, id: expect.any(String) }]);
        expect(await store.findEventBySource(event.sourceId)).toStrictEqual(result.events[0]);
        const [effect] = await store.outbox.pending(incident.id);
        expect(effect).toMatchObject({ spec: { kind: 'header.update' }, notBefore: now });
        expect(await store.outbox.dueIncidents(now - 1)).toEqual([]);
        expect(await store.outbox.dueIncidents(now)).toEqual([incident.id]);
      });

      it('when any event was stored before, then nothing is written and the stored events come back', async () => {
        const incident = await declare({}, []);
        const [seen] = await addEvents(incident.id, { text: 'first delivery' });
        const change = {
          incidentId: incident.id,
          patch: { title: 'changed' },
          events: [newEvent(), newEvent({ sourceId: seen.sourceId, text: 'redelivery' }), newEvent()],
          effects: [{ kind: 'header.update' } as const],
          now: T0 + MINUTE,
        };
        expect(await store.applyChange(change)).toEqual({ duplicate: true, incident, events: [seen], escalations: [] });
        expect(await store.getIncident(incident.id)).toStrictEqual(incident);
        expect(await store.listTimeline(incident.id)).toHaveLength(2);
        expect(await store.findEventBySource(change.events[0].sourceId)).toBeUndefined();
        expect(await store.outbox.pending(incident.id)).toEqual([]);
      });

      it('when the incident is unknown, then it rejects with an error naming it', async () => {
        const event = newEvent();
        await expect(store.applyChange({ incidentId: 'inc-missing', events: [event], now: T0 })).rejects.toThrow('inc-missing');
        expect(await store.findEventBySource(event.sourceId)).toBeUndefined();
      });
    });

    describe('timeline', () => {
      it('when events are backdated, then the timeline follows when they happened', async () => {
        const incident = await declare();
        await addEvents(incident.id, { text: 'c', at: T0 + 3 * MINUTE, recordedAt: T0 + 3 * MINUTE });
        await addEvents(incident.id, { text: 'a', at: T0 + MINUTE, recordedAt: T0 + 4 * MINUTE });
        await addEvents(incident.id, { text: 'b', at: T0 + 2 * MINUTE, recordedAt: T0 + 5 * MINUTE });
        expect((await store.listTimeline(incident.id)).map((e) => e.text)).toEqual(['declared', 'a', 'b', 'c']);
      });

      it('when events happened at the same time, then recordedAt and then insertion order break the tie', async () => {
        const incident = await declare({ declaredAt: T0 - MINUTE });
        const at = T0;
        await addEvents(incident.id, { text: 'recorded later', at, recordedAt: at + 2 }, { text: 'recorded first', at, recordedAt: at + 1 });
        await addEvents(incident.id, { text: 'tie 1', at, recordedAt: at + 3 }, { text: 'tie 2', at, recordedAt: at + 3 });
        await addEvents(incident.id, { text: 'tie 3', at, recordedAt: at + 3 });
        await addEvents(incident.id, { text: 'tie 4', at, recordedAt: at + 3 }, { text: 'tie 5', at, recordedAt: at + 3 });
        const texts = (await store.listTimeline(incident.id)).map((e) => e.text);
        expect(texts).toEqual(['declared', 'recorded first', 'recorded later', 'tie 1', 'tie 2', 'tie 3', 'tie 4', 'tie 5']);
      });

      it('when another incident has events, then they stay out of this timeline', async () => {
        const [mine, other] = [await declare(), await declare()];
        await addEvents(other.id, { text: 'elsewhere' });
        expect((await store.listTimeline(mine.id)).map((e) => e.text)).toEqual(['declared']);
        expect(await store.listTimeline('nope')).toEqual([]);
      });

      it('when an incident has corrections, then listCorrections gives only them, chronologically, and none of another incident', async () => {
        const [mine, other] = [await declare(), await declare()];
        await addEvents(
          mine.id,
          { kind: 'note', text: 'a note', at: T0 + MINUTE },
          { kind: 'correction', text: 'second fix', at: T0 + 3 * MINUTE },
          { kind: 'correction', text: 'first fix', at: T0 + 2 * MINUTE },
        );
        await addEvents(other.id, { kind: 'correction', text: 'elsewhere', at: T0 + MINUTE });
        expect((await store.listCorrections(mine.id)).map((e) => e.text)).toEqual(['first fix', 'second fix']);
        expect(await store.listCorrections('nope')).toEqual([]);
      });

      it('when an event is updated by source, then only the given fields change and the order follows', async () => {
        const incident = await declare();
        const [early, late] = await addEvents(incident.id, { text: 'early', at: T0 + MINUTE }, { text: 'late', at: T0 + 2 * MINUTE });
        expect(await store.updateEventBySource(early.sourceId, { text: 'edited' })).toStrictEqual({ ...early, text: 'edited' });
        const moved = await store.updateEventBySource(early.sourceId, { at: T0 + 3 * MINUTE });
        expect(moved).toStrictEqual({ ...early, text: 'edited', at: T0 + 3 * MINUTE });
        expect((await store.listTimeline(incident.id)).map((e) => e.id).slice(1)).toEqual([late.id, early.id]);
      });

      it('when an event is removed by source, then it is gone and its sourceId may be stored again', async () => {
        const incident = await declare();
        const [event] = await addEvents(incident.id, { text: 'pinned' });
        expect(await store.removeEventBySource(event.sourceId)).toBe(true);
        expect(await store.findEventBySource(event.sourceId)).toBeUndefined();
        const again = await store.applyChange({ incidentId: incident.id, events: [newEvent({ sourceId: event.sourceId })], now: T0 });
        expect(again.duplicate).toBe(false);
      });

      it('when the source is unknown, then find and update return undefined and remove returns false', async () => {
        expect(await store.findEventBySource('nope')).toBeUndefined();
        expect(await store.updateEventBySource('nope', { text: 'x' })).toBeUndefined();
        expect(await store.removeEventBySource('nope')).toBe(false);
      });
    });

    describe('transcript', () => {
      const message: TranscriptMessage = {
        channelId: 'C1',
        ts: '1709283600.000100',
        threadTs: '1709283500.000200',
        userId: 'U1',
        text: 'rolling back',
        at: 1709283600000,
        editedAt: 1709283700000,
        deleted: true,
        pushpinnedBy: ['U2', 'U3'],
        pinned: true,
      };

      it('when a message is saved, then it reads back exactly', async () => {
        await store.saveTranscriptMessage(message);
        expect(await store.getTranscriptMessage('C1', message.ts)).toStrictEqual(message);
        const alert = { ...message, ts: '1709283600.000300', userId: 'B0GRAFANA', authorName: 'Grafana &amp; Loki' };
        await store.saveTranscriptMessage(alert);
        expect(await store.getTranscriptMessage('C1', alert.ts)).toStrictEqual(alert);
        expect(await store.getTranscriptMessage('C2', message.ts)).toBeUndefined();
      });

      it('when the same message is saved again, then the new version replaces it entirely', async () => {
        await store.saveTranscriptMessage(message);
        const { threadTs: _t, editedAt: _e, ...plain } = message;
        const replacement = { ...plain, text: 'rolled back', deleted: false, pushpinnedBy: [], pinned: false };
        await store.saveTranscriptMessage(replacement);
        expect(await store.getTranscriptMessage('C1', message.ts)).toStrictEqual(replacement);
      });

      describe('a posted message recorded without a read', () => {
        const posted = { channelId: 'C1', ts: '1709283600.000100', userId: 'U1', text: 'rolling back', at: 1709283600000 };
        const read = () => store.getTranscriptMessage('C1', posted.ts);

        it('when it is new, then it is stored unmarked and not deleted', async () => {
          await store.recordPostedMessage({ ...posted, threadTs: '1709283500.000200' });
          expect(await read()).toStrictEqual({ ...posted, threadTs: '1709283500.000200', deleted: false, pushpinnedBy: [], pinned: false });
        });

        it('when a pin stored it first, then the marks stay and the text, author and thread come from the message', async () => {
          await store.saveTranscriptMessage({ ...posted, text: 'from the pin event', threadTs: '1709283500.000200', deleted: false, pushpinnedBy: ['U2'], pinned: true });
          await store.recordPostedMessage(posted);
          expect(await read()).toStrictEqual({ ...posted, deleted: false, pushpinnedBy: ['U2'], pinned: true });
        });

        it('when it was edited or deleted since, then a redelivery undoes neither', async () => {
          await store.recordPostedMessage(posted);
          await store.saveTranscriptMessage({ ...posted, text: 'rolled back', editedAt: posted.at + 60_000, deleted: true, pushpinnedBy: [], pinned: false });
          await store.recordPostedMessage(posted);
          expect(await read()).toStrictEqual({ ...posted, text: 'rolled back', editedAt: posted.at + 60_000, deleted: true, pushpinnedBy: [], pinned: false });
        });

        it('when an integration posted it, then its author name is kept, and a later delivery without one drops it', async () => {
          const alert = { ...posted, userId: 'B0DATADOG', authorName: 'Datadog', text: 'p99 latency &gt; 2s on checkout' };
          await store.recordPostedMessage(alert);
          expect(await read()).toStrictEqual({ ...alert, deleted: false, pushpinnedBy: [], pinned: false });
          await store.recordPostedMessage(posted);
          expect(await read()).toStrictEqual({ ...posted, deleted: false, pushpinnedBy: [], pinned: false });
        });

        it('when two first deliveries race, then one row results', async () => {
          await Promise.all([store.recordPostedMessage(posted), store.recordPostedMessage(posted)]);
          expect(await read()).toStrictEqual({ ...posted, deleted: false, pushpinnedBy: [], pinned: false });
        });
      });
    });

    describe('postmortems and health', () => {
      it('when postmortems are saved, then each incident counts its own versions from 1', async () => {
        const [incident, other] = [await declare(), await declare()];
        const v1 = await store.savePostmortem(incident.id, '# Draft', T0);
        const v2 = await store.savePostmortem(incident.id, '# Final', T0 + MINUTE);
        expect([v1, v2]).toEqual([
          { incidentId: incident.id, version: 1, markdown: '# Draft', createdAt: T0 },
          { incidentId: incident.id, version: 2, markdown: '# Final', createdAt: T0 + MINUTE },
        ]);
        expect(await store.latestPostmortem(incident.id)).toEqual(v2);
        expect(await store.getPostmortem(incident.id, 1)).toEqual(v1);
        expect((await store.savePostmortem(other.id, '# Other', T0)).version).toBe(1);
      });

      it('when there is no postmortem, then latest and get return undefined', async () => {
        const incident = await declare();
        expect(await store.latestPostmortem(incident.id)).toBeUndefined();
        expect(await store.getPostmortem(incident.id, 1)).toBeUndefined();
      });

      it('when the incident is unknown, then saving a postmortem rejects', async () => {
        await expect(store.savePostmortem('inc-missing', '# x', T0)).rejects.toThrow('inc-missing');
      });

      it('when the store is open, then ping answers true', async () => {
        expect(await store.ping()).toBe(true);
      });
    });

    describeEscalationStoreContract(() => store);
    describeOutboxContract(() => store);
    describeTimelineSummaryContract(() => store);
  });
}
