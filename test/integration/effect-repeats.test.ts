// Effects that post are retried when an attempt's outcome is unknown: the emulated Slack carries a
// call out and then loses its answer (a 500), as a proxy error or a dropped connection would. The
// retry must find what the first attempt posted (by the effect's message metadata, or the file's
// name) instead of posting it twice, and a first attempt must not pay for that look-up.

import type { ApiCall } from '../../src/sandbox/slack-emulator';
import { PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const MINUTE = 60_000;
const BOB = PEOPLE.bob.id;

const isPost = (call: ApiCall, text: string) => call.method === 'chat.postMessage' && String(call.args.text).includes(text);
const isPageDm = (call: ApiCall) => call.method === 'chat.postMessage' && JSON.stringify(call.args.blocks ?? '').includes('escalation_acknowledge');

/** Lets the retry come due (the clock is steered, so its backoff costs no real time) and run. */
async function settleWithRetries(f: Fixture): Promise<void> {
  await f.settle();
  f.clock.advance(MINUTE);
  await f.settle();
}

describe('a retried effect does not repeat a post that reached Slack', () => {
  let f: Fixture;
  let channelId: string;

  beforeEach(async () => {
    f = await startFixture();
    ({ channelId } = await f.declare('Checkout errors'));
  });

  afterEach(async () => {
    await f.stop();
  });

  const escalateToBob = async () => {
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, `escalate <@${BOB}|bob> payments look broken`);
    await settleWithRetries(f);
  };
  const historyReads = () => f.emulator.callsTo('conversations.history').length;
  const channelLines = (text: string) => f.emulator.messages(channelId).filter((m) => m.text.includes(text));

  it('when every call is answered, then each post goes out once, tagged with its effect, and no history is read', async () => {
    await escalateToBob();
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await settleWithRetries(f);
    expect(historyReads()).toBe(0);
    const [paging] = channelLines('Paging');
    expect(paging.metadata).toEqual({ event_type: 'incident_effect', event_payload: expect.objectContaining({ part: 'post' }) });
    expect(f.emulator.directMessages(BOB)).toHaveLength(1);
  });

  it('when Slack posted a channel line but its answer was lost, then the retry finds it and posts nothing', async () => {
    f.emulator.loseAnswer((call) => isPost(call, 'Paging'));
    await escalateToBob();
    expect(channelLines('Paging')).toHaveLength(1);
    expect(f.emulator.calls.filter((call) => isPost(call, 'Paging'))).toHaveLength(1);
    expect(historyReads()).toBe(1);
  });

  it('when an attempt failed before reaching Slack, then the retry looks, finds nothing and posts', async () => {
    f.emulator.failNext('chat.postMessage', { status: 500 });
    await escalateToBob();
    expect(channelLines('Paging')).toHaveLength(1);
    expect(historyReads()).toBe(1);
  });

  it('when a page DM went out but its answer was lost, then the person gets one DM, and it is the one Acknowledge settles', async () => {
    f.emulator.loseAnswer(isPageDm);
    await escalateToBob();
    const dms = f.emulator.directMessages(BOB);
    expect(dms).toHaveLength(1);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const [escalation] = await f.store.listEscalations(incident.id);
    expect(escalation.pages[0].notices).toEqual([{ userId: BOB, channelId: dms[0].channel, ts: dms[0].ts }]);

    await f.actor.clickButton(BOB, { channelId: dms[0].channel, messageTs: dms[0].ts, actionId: 'escalation_acknowledge' });
    await f.settle();
    expect(f.emulator.directMessages(BOB)).toHaveLength(1);
    expect(f.emulator.directMessages(BOB)[0].text).toContain(`acknowledged by <@${BOB}>`);
  });

  it('when the postmortem file was shared but the answer was lost, then it is shared once and the export prompt follows once', async () => {
    f.emulator.loseAnswer((call) => call.method === 'files.completeUploadExternal');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await settleWithRetries(f);
    expect(f.emulator.files().filter((file) => file.name === 'INC-1-postmortem-v1.md')).toHaveLength(1);
    expect(f.emulator.messages(channelId).filter((m) => m.files?.length)).toHaveLength(1);
    expect(channelLines('INC-1: ').filter((m) => m.text.includes('Confluence'))).toHaveLength(1);
    expect(historyReads()).toBe(2); // the file, found; then the prompt, not found
  });

  it('when the export prompt was lost after the file went out, then the retry shares no second file and finds the prompt', async () => {
    f.emulator.loseAnswer((call) => call.method === 'chat.postMessage' && JSON.stringify(call.args.metadata ?? '').includes('export prompt'));
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await settleWithRetries(f);
    expect(f.emulator.callsTo('files.completeUploadExternal')).toHaveLength(1);
    expect(f.emulator.calls.filter((call) => call.method === 'chat.postMessage' && JSON.stringify(call.args.metadata ?? '').includes('export prompt'))).toHaveLength(1);
    expect(historyReads()).toBe(2); // the file, then the prompt
  });
});
