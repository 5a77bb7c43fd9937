// A sev1 burst: 50 timeline events a second for 10 s into one incident, against an emulated Slack
// that paces each channel like Slack (about one message a second, short bursts, 429 beyond). The
// seconds are steered: the bot's pacing, its backoffs and Slack's rate limit all run on one
// SteeredTime, which the test moves 20 ms after each note, so no second of it is spent waiting.

import { SteeredTime } from '../../src/sandbox/steered-time';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const EVENTS_PER_SECOND = 50;
const SECONDS = 10;

describe('a burst of timeline events', () => {
  let f: Fixture;
  let time: SteeredTime;

  beforeEach(async () => {
    // Starts at the real time: Slack's request signatures are checked against it.
    time = new SteeredTime(Date.now());
    f = await startFixture({ clock: time });
    f.emulator.limitChannelRate({ methods: ['chat.postMessage', 'chat.update', 'pins.add'], perSecond: 1, burst: 3 });
  });

  afterEach(async () => {
    await f.stop();
  });

  it('when 50 notes a second arrive for 10 s, then none is lost, the header ends current, header updates stay near one a second, and other incidents keep their pace', async () => {
    const { channelId } = await f.declare('Everything is slow sev1');
    const updatesBefore = f.emulator.callsTo('chat.update').length;
    const started = time.now();
    const responses: { status: number; body: string }[] = [];
    let secondHeaderDuringBurst: string | undefined;
    for (let i = 0; i < EVENTS_PER_SECOND * SECONDS; i++) {
      responses.push(await f.actor.slashCommand(PEOPLE.ann.id, channelId, `note burst ${i}`));
      // Mid-burst, a second incident is declared elsewhere: its channel must not wait for the first one's queue.
      if (i === EVENTS_PER_SECOND * 2) await f.actor.slashCommand(PEOPLE.bob.id, f.generalId, 'start Unrelated outage');
      if (i === EVENTS_PER_SECOND * 3) {
        const second = (await f.store.listOpenIncidents(f.emulator.identity.teamId)).find((incident) => incident.title === 'Unrelated outage');
        secondHeaderDuringBurst = second?.chat?.headerTs;
      }
      await time.pass(1000 / EVENTS_PER_SECOND, () => f.bot.effects.idle());
    }
    // Its channel and pinned header came a second after it was declared, while the burst was still going.
    expect(secondHeaderDuringBurst).toBeDefined();

    await f.settle();
    const elapsedSeconds = (time.now() - started) / 1000;
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
    expect(await f.store.outbox.pending(incident.id)).toEqual([]);
    expect(f.emulator.messages(channelId).some((m) => m.text.includes('I could not'))).toBe(false);
  }, 30_000);
});
