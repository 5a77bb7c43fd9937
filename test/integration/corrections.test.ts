// Fixing the record over signed HTTP and Socket Mode: `/incident timeline` offers Edit / Remove on the entries the
// asker recorded (all of them for the commander); an edit goes through the form, a removal through
// the button; both are said in the channel, kept on the audit trail, and the postmortem uses the
// corrected record with a "Corrections to the Record" appendix.

import { EDIT_ENTRY_VIEW, TIMELINE_EDIT_ACTION, TIMELINE_REMOVE_ACTION } from '../../src/blocks/ids';
import type { EmulatedMessage } from '../../src/sandbox/slack-emulator/types';
import { editEntry, parseEntryRef, removeEntry } from '../../src/usecases/corrections';
import { PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

type Block = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string }[] };

describe.each(['http', 'socket'] as const)('fixing the record (%s)', (transport) => {
  let f: Fixture;
  afterEach(() => f?.stop());

  /** The listing as the asker sees it: each entry's line and the buttons under it. */
  async function timelineOf(userId: string, channelId: string) {
    const reply = await f.actor.slashCommand(userId, channelId, 'timeline');
    const shown = f.emulator.ephemerals(userId).find((e) => e.ts === reply.ephemeralTs)!;
    const blocks = (shown.blocks ?? []) as Block[];
    const entries = blocks.flatMap((b, i) => {
      if (b.type !== 'section' || !b.text?.text.startsWith('•')) return [];
      const next = blocks[i + 1];
      const buttons = next?.type === 'actions' ? (next.elements ?? []) : [];
      return [{ line: b.text.text, buttons: buttons.map((e) => e.action_id), ref: buttons[0]?.value }];
    });
    return { ts: shown.ts, entries };
  }

  const find = <T extends { line: string }>(entries: T[], text: string): T => entries.find((e) => e.line.includes(text))!;
  const channelLines = (channelId: string) => f.emulator.messages(channelId).map((m: EmulatedMessage) => m.text);

  it('when the author edits a note and the commander removes an action item, then the postmortem shows the corrected record and the corrections', async () => {
    f = await startFixture({ transport });
    const { channelId } = await f.declare('Checkout errors');
    f.emulator.joinChannel(channelId, PEOPLE.bob.id);
    await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'note the databse is donw <@U0CID|cid> is looking');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'impact checkout fails for 10% of users');
    await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'action Buy more disks');
    await f.settle();

    // Bob may fix his own entries only.
    const bobs = await timelineOf(PEOPLE.bob.id, channelId);
    expect(find(bobs.entries, 'databse').buttons).toEqual([TIMELINE_EDIT_ACTION, TIMELINE_REMOVE_ACTION]);
    expect(find(bobs.entries, 'Buy more disks').buttons).toEqual([TIMELINE_EDIT_ACTION, TIMELINE_REMOVE_ACTION]);
    expect(find(bobs.entries, 'checkout fails').buttons).toEqual([]);

    const edit = await f.actor.clickButton(PEOPLE.bob.id, { channelId, messageTs: bobs.ts, actionId: TIMELINE_EDIT_ACTION, value: find(bobs.entries, 'databse').ref! });
    expect(edit.status).toBe(200);
    const form = f.emulator.views().at(-1)!;
    expect(form.view.callback_id).toBe(EDIT_ENTRY_VIEW.callbackId);
    expect(JSON.stringify(form.view.blocks)).toContain('the databse is donw <@U0CID|cid> is looking');
    await f.actor.submitView(PEOPLE.bob.id, {
      id: form.id,
      private_metadata: String(form.view.private_metadata),
      values: { [EDIT_ENTRY_VIEW.textBlock]: { [EDIT_ENTRY_VIEW.textInput]: { type: 'plain_text_input', value: 'the database is down <@U0CID|cid> is looking (p99 > 8s)' } } },
    });
    await f.settle();

    // Ann commands: she may remove Bob's action item.
    const anns = await timelineOf(PEOPLE.ann.id, channelId);
    expect(find(anns.entries, 'the database is down').line).toContain('_(edited)_');
    const removed = await f.actor.clickButton(PEOPLE.ann.id, { channelId, messageTs: anns.ts, actionId: TIMELINE_REMOVE_ACTION, value: find(anns.entries, 'Buy more disks').ref! });
    await f.settle();
    // The presser's answer follows the acknowledgement (over Socket Mode, after it was sent).
    const answers = () => f.emulator.responses(removed.responseUrlId).map((r) => String(r.body.text));
    for (let i = 0; i < 100 && answers().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answers()).toContainEqual(expect.stringMatching(/^Done: the action item of .* is removed\.$/));

    expect(channelLines(channelId)).toContainEqual(
      expect.stringMatching(/^:pencil2: <@U0BOB> corrected the note of .*: the database is down <@U0CID\|cid> is looking \(p99 &gt; 8s\) _\(was: the databse is donw/),
    );
    expect(channelLines(channelId)).toContainEqual(expect.stringMatching(/^:wastebasket: <@U0ANN> removed the action item of .* from the record: ~Buy more disks~$/));
    expect((await timelineOf(PEOPLE.ann.id, channelId)).entries.map((e) => e.line).join('\n')).not.toContain('Buy more disks');

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();
    const draft = f.emulator.files().find((x) => x.name === 'INC-1-postmortem-v1.md')?.content ?? '';
    const [record = '', appendix = ''] = draft.split('## Corrections to the Record\n\n');
    expect(record).toMatch(/^- .*: the database is down @Cid Example is looking \(p99 > 8s\) — Bob Example _\(Note, edited\)_$/m);
    expect(record).not.toContain('databse');
    expect(record).not.toContain('Buy more disks');
    expect(appendix).toMatch(
      /^- .*: Bob Example edited the note of .* \(was: the databse is donw @Cid Example is looking; now: the database is down @Cid Example is looking \(p99 > 8s\)\)$/m,
    );
    expect(appendix).toMatch(/^- .*: Ann Example removed the action item of .* \(was: Buy more disks\)$/m);
  });

  it("when the latest impact is corrected or removed, then the incident's impact follows the corrected record", async () => {
    f = await startFixture({ transport });
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'impact some users see errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'impact 10% of checkouts fail');
    await f.settle();
    const incident = async () => (await f.store.findIncidentByChannel(channelId))!;
    const listing = await timelineOf(PEOPLE.ann.id, channelId);
    const ref = parseEntryRef(find(listing.entries, '10% of checkouts').ref!)!;
    const ann = { teamId: f.emulator.identity.teamId, userId: PEOPLE.ann.id, channelId };

    await editEntry(f.bot.services.deps, { ...ann, sourceId: 'view:V1' }, ref, '12% of checkouts fail');
    expect((await incident()).impact).toBe('12% of checkouts fail');
    // The same submission delivered again changes nothing.
    await editEntry(f.bot.services.deps, { ...ann, sourceId: 'view:V1' }, ref, '12% of checkouts fail');
    expect((await f.store.listTimeline((await incident()).id)).filter((e) => e.kind === 'correction')).toHaveLength(1);

    await removeEntry(f.bot.services.deps, { ...ann, sourceId: 'remove:T1' }, ref);
    expect((await incident()).impact).toBe('some users see errors');
  });

  it('when someone who neither recorded the entry nor commands asks to fix it, then they get no buttons and the use case refuses them', async () => {
    f = await startFixture({ transport });
    const { channelId } = await f.declare('Checkout errors');
    f.emulator.joinChannel(channelId, PEOPLE.cid.id);
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'note rolled back the deploy');
    await f.settle();
    const ref = parseEntryRef(find((await timelineOf(PEOPLE.ann.id, channelId)).entries, 'rolled back').ref!)!;

    expect(find((await timelineOf(PEOPLE.cid.id, channelId)).entries, 'rolled back').buttons).toEqual([]);
    // A forged press (Slack shows Cid no button) meets the same check.
    const cid = { teamId: f.emulator.identity.teamId, userId: PEOPLE.cid.id, channelId, sourceId: 'remove:forged' };
    await expect(removeEntry(f.bot.services.deps, cid, ref)).rejects.toThrow(/Only whoever recorded an entry, or the commander of INC-1/);
    await expect(editEntry(f.bot.services.deps, cid, ref, 'something else')).rejects.toThrow(/Only whoever recorded an entry/);
    expect((await f.store.listTimeline((await f.store.findIncidentByChannel(channelId))!.id)).filter((e) => e.kind === 'correction')).toEqual([]);
  });
});
