// The incident channel archived INCIDENT_ARCHIVE_AFTER after close, over signed HTTP and Socket Mode against the
// emulated Slack: announced at close, a notice first, once even when the archive call is retried,
// never when the setting is off, and a refusal told in the channel.

import { PEOPLE, ackText, startFixture, type Fixture } from '../support/sandbox-fixture';

const HOUR = 60 * 60_000;

describe.each(['http', 'socket'] as const)('archiving the incident channel after close (%s)', (transport) => {
  let f: Fixture;
  afterEach(() => f?.stop());

  const archived = (channelId: string) => f.emulator.channel(channelId)?.archived;

  it('when INCIDENT_ARCHIVE_AFTER is 72h, then close says so, and 72 hours later the channel gets a notice and is archived', async () => {
    f = await startFixture({ transport, archiveAfterMs: 72 * HOUR });
    const { channelId } = await f.declare('Checkout errors');

    const closed = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();
    expect(ackText(closed)).toContain('This channel will be archived in 3 days.');

    f.clock.advance(72 * HOUR - 60_000);
    await f.settle();
    expect(archived(channelId)).toBe(false);

    f.clock.advance(60_000);
    await f.settle();
    expect(archived(channelId)).toBe(true);
    const notice = f.emulator.messages(channelId).at(-1)?.text ?? '';
    expect(notice).toMatch(/^:file_cabinet: INC-1 closed 3 days ago, so this channel is archived now\. Its messages stay searchable/);
    expect(notice).toContain('The postmortem draft is the file posted above.');
    expect(f.emulator.callsTo('conversations.archive').map((c) => c.error ?? 'ok')).toEqual(['ok']);
  });

  it('when the archive call fails once, then the retry archives without a second notice', async () => {
    f = await startFixture({ transport, archiveAfterMs: HOUR });
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();
    f.emulator.failNext('conversations.archive', { status: 500 });

    f.clock.advance(HOUR);
    await f.settle();
    f.clock.advance(5_000);
    await f.settle();

    expect(archived(channelId)).toBe(true);
    expect(f.emulator.messages(channelId).filter((m) => m.text.startsWith(':file_cabinet:'))).toHaveLength(1);
  });

  it('when Slack refuses to archive (a workspace that forbids it), then the channel is told to archive it by hand', async () => {
    f = await startFixture({ transport, archiveAfterMs: HOUR });
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();
    f.emulator.failNext('conversations.archive', { error: 'restricted_action' });

    f.clock.advance(HOUR);
    await f.settle();

    expect(archived(channelId)).toBe(false);
    expect(f.emulator.messages(channelId).at(-1)?.text).toBe(
      ':warning: This workspace does not let apps archive channels (restricted_action): please archive this channel from its settings.',
    );
  });

  it('when INCIDENT_ARCHIVE_AFTER is off (the default), then the channel stays as it is', async () => {
    f = await startFixture({ transport });
    const { channelId } = await f.declare('Checkout errors');
    const closed = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();

    f.clock.advance(60 * 24 * HOUR);
    await f.settle();

    expect(ackText(closed)).not.toContain('archived');
    expect(archived(channelId)).toBe(false);
    expect(f.emulator.callsTo('conversations.archive')).toEqual([]);
  });
});
