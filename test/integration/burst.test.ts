// A sev1 burst: 50 timeline events a second for 10 s into one incident, against an emulated Slack
// that paces each channel like Slack (about one message a second, short bursts, 429 beyond).

import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const EVENTS_PER_SECOND = 50;
const SECONDS = 10;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('a burst of timeline events', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await startFixture();
    f.emulator.limitChannelRate({ methods: ['chat.postMessage', 'chat.update', 'pins.add'], perSecond: 1, burst: 3 });
  });

  afterEach(async () => {
    await f.stop();
  });

  it('when 50 notes a second arrive for 10 s, then none is lost, the header ends current, header updates stay near one a second, and other incidents keep their pace', async () => {
    const { channelId } = await f.declare('Everything is slow sev1');
    const updatesBefore = f.emulator.callsTo('chat.update').length;
    const started = Date.now();
    const sends: Promise<{ status: number; body: string }>[] = [];
    let other: Promise<unknown> | undefined;
    for (let i = 0; i < EVENTS_PER_SECOND * SECONDS; i++) {
      sends.push(f.actor.slashCommand(PEOPLE.ann.id, channelId, `note burst ${i}`));
      // Mid-burst, a second incident is declared elsewhere: its channel must not wait for the first one's queue.
      if (i === EVENTS_PER_SECOND * 2) other = f.actor.slashCommand(PEOPLE.bob.id, f.generalId, 'start Unrelated outage');
      await sleep(1000 / EVENTS_PER_SECOND);
    }
    const responses = await Promise.all(sends);
    await other;
    const secondIncident = (await f.store.listOpenIncidents(f.emulator.identity.teamId)).find((i) => i.title === 'Unrelated outage');
    // Its channel and pinned header came while the burst was still going.
    await f.bot.effects.idle();
    expect(secondIncident).toBeDefined();
    const second = await f.store.getIncident(secondIncident!.id);
    expect(second?.chat?.headerTs).toBeDefined();

    await f.settle();
    const elapsedSeconds = (Date.now() - started) / 1000;
    expect(responses.every((r) => r.status === 200 && ackText(r).includes('noted at'))).toBe(true);

    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const notes = (await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'note');
    expect(notes).toHaveLength(EVENTS_PER_SECOND * SECONDS);
    expect(new Set(notes.map((n) => n.text)).size).toBe(EVENTS_PER_SECOND * SECONDS);

    const header = f.emulator.messages(channelId).find((m) => m.ts === incident.chat!.headerTs)!;
    expect(JSON.stringify(header.blocks)).toContain(`*Timeline:* ${EVENTS_PER_SECOND * SECONDS + 1} entries`);
    const updates = f.emulator.callsTo('chat.update').length - updatesBefore;
    expect(updates).toBeGreaterThan(0);
    expect(updates).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 3);
    expect(await f.store.pendingEffects(incident.id)).toEqual([]);
    expect(f.emulator.messages(channelId).some((m) => m.text.includes('I could not'))).toBe(false);
  }, 60_000);
});
