// The message shortcut "Add to incident timeline", over signed HTTP and Socket Mode: on a message in
// any channel, the form picks the incident (the channel's own by default), and the message joins its
// timeline with its author, its time and a link to the original; its files become links; adding it
// twice adds it once; the postmortem carries it.

import { ADD_TO_TIMELINE_SHORTCUT, ADD_TO_TIMELINE_VIEW as IDS } from '../../src/blocks/ids';
import { tsToMillis } from '../../src/domain/transcript';
import { PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

describe.each(['http', 'socket'] as const)('the "Add to incident timeline" shortcut (%s)', (transport) => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture({ transport });
  });
  afterEach(() => f.stop());

  const shortcut = (userId: string, channelId: string, messageTs: string) => f.actor.messageShortcut(userId, { channelId, messageTs, callbackId: ADD_TO_TIMELINE_SHORTCUT });

  async function submit(userId: string, incidentId: string) {
    const form = f.emulator.views().at(-1)!;
    expect(form.view.callback_id).toBe(IDS.callbackId);
    const answer = await f.actor.submitView(userId, {
      id: form.id,
      private_metadata: String(form.view.private_metadata),
      values: { [IDS.incidentBlock]: { [IDS.incidentInput]: { type: 'static_select', selected_option: { value: incidentId } } } },
    });
    await f.settle();
    return { form, answer };
  }

  it('when a message from another channel is added, then it keeps its author and time, links the original and its file, once', async () => {
    const { channelId } = await f.declare('Checkout errors');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const said = await f.actor.say(PEOPLE.bob.id, f.generalId, 'saw 502s from the EU load balancer at 10:02');
    const shared = await f.actor.shareFile(PEOPLE.cid.id, f.generalId, { name: 'lb-graph.png', title: 'LB errors', caption: 'the spike' });

    expect((await shortcut(PEOPLE.ann.id, f.generalId, said.ts)).status).toBe(200);
    const { form } = await submit(PEOPLE.ann.id, incident.id);
    // Declared from #general, so no incident is the channel's own: the form picks none first.
    expect(JSON.stringify(form.view.blocks)).not.toContain('initial_option');
    await shortcut(PEOPLE.ann.id, f.generalId, shared.ts);
    await submit(PEOPLE.ann.id, incident.id);
    // Added again: nothing new.
    await shortcut(PEOPLE.bob.id, f.generalId, said.ts);
    await submit(PEOPLE.bob.id, incident.id);

    const added = (await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'message');
    expect(added.map((e) => [e.actorId, e.at, e.data?.highlightedBy])).toEqual([
      [PEOPLE.bob.id, tsToMillis(said.ts), PEOPLE.ann.id],
      [PEOPLE.cid.id, tsToMillis(shared.ts), PEOPLE.ann.id],
    ]);
    const permalink = f.emulator.workspace.permalink(f.generalId, said.ts);
    expect(added[0]?.data?.permalink).toBe(permalink);
    expect(added[1]?.text).toMatch(/^the spike\nFile: <http[^|]+\|LB errors>$/);
    const lines = f.emulator
      .messages(channelId)
      .map((m) => m.text)
      .filter((t) => t.startsWith(':inbox_tray:'));
    expect(lines).toEqual([
      `:inbox_tray: <@U0ANN> added a message from <#${f.generalId}> to the timeline of INC-1 (<${permalink}|original>).`,
      expect.stringContaining(':inbox_tray: <@U0ANN> added a message'),
    ]);

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();
    const draft = f.emulator.files().find((x) => x.name === 'INC-1-postmortem-v1.md')?.content ?? '';
    expect(draft).toContain(`saw 502s from the EU load balancer at 10:02 — Bob Example ([original message](<${permalink}>)) _(Slack message)_`);
    expect(draft).toMatch(/the spike\\\n {2}File: LB errors \(http[^)]+\) — Cid Example \(\[original message\]/);
  });

  it('when the shortcut is used in an incident channel, then that incident is picked first; with no open incident, the person is told', async () => {
    const noIncident = await f.actor.say(PEOPLE.bob.id, f.generalId, 'is something down?');
    const asked = await shortcut(PEOPLE.bob.id, f.generalId, noIncident.ts);
    expect(f.emulator.responses(asked.responseUrlId).map((r) => String(r.body.text))).toEqual([
      'There is no open incident to add this message to. Declare one with `/incident start <title>`.',
    ]);

    const { channelId } = await f.declare('Checkout errors');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const inside = await f.actor.say(PEOPLE.ann.id, channelId, 'rolling back now');
    await shortcut(PEOPLE.ann.id, channelId, inside.ts);
    const form = f.emulator.views().at(-1)!;
    expect(JSON.stringify(form.view.blocks)).toContain(`"initial_option":{"text":{"type":"plain_text","text":"INC-1 Checkout errors (sev3)"},"value":"${incident.id}"}`);
  });

  it('when someone adds to a private incident they are not in (a forged form), then it is refused', async () => {
    const { channelId } = await f.declare('Secret thing --private', PEOPLE.bob.id);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const said = await f.actor.say(PEOPLE.ann.id, f.generalId, 'hello');
    await f.declare('Public one');
    await shortcut(PEOPLE.ann.id, f.generalId, said.ts);
    const form = f.emulator.views().at(-1)!;
    expect(JSON.stringify(form.view.blocks)).not.toContain('Secret thing');

    const answer = await f.actor.submitView(PEOPLE.ann.id, {
      id: form.id,
      private_metadata: String(form.view.private_metadata),
      values: { [IDS.incidentBlock]: { [IDS.incidentInput]: { type: 'static_select', selected_option: { value: incident.id } } } },
    });
    expect(JSON.parse(answer.body)).toEqual({ response_action: 'errors', errors: { [IDS.incidentBlock]: 'That incident is not one you can add to; pick another.' } });
    expect((await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'message')).toEqual([]);
  });
});
