// A whole incident while Slack's API is degraded: a share of every Web API call fails with a 500
// or a 429. The outbox retries with backoff; the final state must still be complete.

import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const MINUTE = 60_000;

/** Lets retries come due (the clock is steered, so backoff costs no real time) until the queue is empty. */
async function drainWithRetries(f: Fixture, incidentIds: () => Promise<string[]>): Promise<void> {
  for (let round = 0; round < 40; round++) {
    await f.settle();
    const pending = (await Promise.all((await incidentIds()).map((id) => f.store.outbox.pending(id)))).flat();
    if (pending.length === 0) return;
    f.clock.advance(MINUTE);
  }
  throw new Error('effects still pending after 40 rounds of retries');
}

describe.each([0.2, 0.35])('a whole incident with %p of Slack calls failing', (share) => {
  let f: Fixture;

  beforeEach(async () => {
    f = await startFixture({ announceChannelName: 'incidents' });
    f.emulator.failRandomly(share, 42);
  });

  afterEach(async () => {
    await f.stop();
  });

  it('when the incident runs to its postmortem, then the channel, header, announcement, timeline and file are all complete', async () => {
    const teamId = f.emulator.identity.teamId;
    const ids = async () => (await f.store.listOpenIncidents(teamId)).map((i) => i.id).concat(closedIds);
    const closedIds: string[] = [];
    expect(ackText(await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'start Payments failing sev1'))).toContain('Declared');
    await drainWithRetries(f, ids);
    const [incident] = await f.store.listOpenIncidents(teamId);
    closedIds.push(incident.id);
    const channelId = incident.chat!.channelId;

    for (const text of [
      'note card auth errors 40%',
      'severity sev2',
      'status identified bad certificate',
      'action rotate certs automatically',
      'resolve certificate renewed',
      'close',
    ]) {
      const answer = await f.actor.slashCommand(PEOPLE.ann.id, channelId, text);
      expect(answer.status).toBe(200);
    }
    await drainWithRetries(f, ids);

    const final = (await f.store.getIncident(incident.id))!;
    expect(final).toMatchObject({ status: 'closed', severity: 'sev2' });
    expect(f.emulator.channelByName('inc-' + f.emulator.channel(channelId)!.name.slice(4))).toBeDefined();
    expect(f.emulator.channel(channelId)!.members).toContain(PEOPLE.ann.id);
    const header = f.emulator.messages(channelId).find((m) => m.ts === final.chat!.headerTs)!;
    expect(header.text).toContain('sev2, closed');
    expect(f.emulator.pinnedTs(channelId)).toContain(final.chat!.headerTs);
    expect(f.emulator.messages(f.emulator.channelByName('incidents')!.id).filter((m) => m.text.includes('INC-1 (sev2, closed)'))).toHaveLength(1);
    // An upload a failure interrupted was never completed: Slack shows nothing of it.
    expect(f.emulator.files().filter((x) => x.name === 'INC-1-postmortem-v1.md' && x.completed)).toHaveLength(1);
    const kinds = (await f.store.listTimeline(incident.id)).map((e) => e.kind);
    expect(kinds).toEqual(['declared', 'note', 'severity', 'status', 'action', 'resolved', 'closed']);
    // Slack really was failing: the retries are what made it complete.
    expect(f.emulator.calls.filter((c) => !c.ok).length).toBeGreaterThan(0);
  }, 60_000);
});
