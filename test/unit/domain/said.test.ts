import { slackText } from '../../../src/blocks/said';
import { targetData, targetFromData, type EscalationTarget } from '../../../src/domain/escalation';
import { channel, joined, link, paged, plainText, said, user } from '../../../src/domain/said';

describe('said', () => {
  it('when a template names people, channels, pages and links, then they stay references between merged text', () => {
    const owner = said` (owner: ${user('U2')})`;
    expect(said`:clipboard: ${user('U1')} added an item${owner} in ${channel('C1')}: ${3} steps, see ${link('https://x.example/1', 'the doc')}`).toEqual([
      ':clipboard: ',
      { user: 'U1' },
      ' added an item (owner: ',
      { user: 'U2' },
      ') in ',
      { channel: 'C1' },
      ': 3 steps, see ',
      { link: 'https://x.example/1', label: 'the doc' },
    ]);
  });

  it('when parts are joined, then the separator goes between them and nowhere else', () => {
    expect(joined([said`${user('U1')}`, 'two', said`${user('U2')}!`], ', ')).toEqual([{ user: 'U1' }, ', two, ', { user: 'U2' }, '!']);
    expect(joined([], '\n')).toEqual([]);
  });

  it('when written for Slack, then each reference takes its Slack form and a group is named by its handle, never mentioned', () => {
    const text = said`${user('U1')} paged ${paged({ kind: 'usergroup', id: 'S1', handle: 'oncall' })} and ${paged({ kind: 'user', id: 'U2' })} in ${channel('C1')} (${link('https://x.example', 'doc')}); ${paged({ kind: 'policy', name: 'payments' })}`;
    expect(slackText(text)).toBe('<@U1> paged @oncall and <@U2> in <#C1> (<https://x.example|doc>); policy payments');
    expect(slackText('plain *text*')).toBe('plain *text*');
  });

  it('when written for a log or an error message, then it names ids in no chat syntax', () => {
    expect(plainText(said`Only the commander (${user('U1')}) may; see ${channel('C1')} or ${paged({ kind: 'usergroup', id: 'S1' })}`)).toBe(
      'Only the commander (@U1) may; see #C1 or @S1',
    );
  });
});

describe('escalation targets as timeline data', () => {
  const targets: EscalationTarget[] = [
    { kind: 'user', id: 'U1' },
    { kind: 'usergroup', id: 'S1', handle: 'oncall' },
    { kind: 'usergroup', id: 'S2' },
    { kind: 'policy', name: 'payments' },
  ];

  it.each(targets)('when %o is recorded, then it reads back the same, in scalar fields only', (target) => {
    const data = targetData(target);
    expect(Object.values(data).every((v) => typeof v === 'string')).toBe(true);
    expect(targetFromData({ step: 'paged', ...data })).toEqual(target);
  });

  it('when an entry carries no target fields (or an older label), then there is no target to read', () => {
    expect(targetFromData({ target: '<@U1>' })).toBeUndefined();
    expect(targetFromData({ targetKind: 'robot', targetId: 'R1' })).toBeUndefined();
    expect(targetFromData(undefined)).toBeUndefined();
  });
});
