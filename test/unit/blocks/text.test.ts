// The last step before Slack: nothing a user typed broadcasts or flips the bot's words.

import { escapePlainText, inertPayload, inertText } from '../../../src/blocks/text';

const WJ = '\u2060';

describe('inertText', () => {
  it.each([
    ['<!channel> look', `@${WJ}channel look`],
    ['<!here|here> and <!here|@here>', `@${WJ}here and @${WJ}here`],
    ['<!everyone>', `@${WJ}everyone`],
    ['the old alias <!group>', `the old alias @${WJ}group`],
    ['any case <!Channel> <!HERE>', `any case @${WJ}Channel @${WJ}HERE`],
    ['<!subteam^S0ONCALL|@oncall> and <!subteam^S0ONCALL>', `@${WJ}oncall and @${WJ}group`],
  ])('defuses %j', (input, expected) => {
    expect(inertText(input)).toBe(expected);
  });

  it('keeps person and channel mentions, links, dates and text that is already inert', () => {
    const kept = '<@U0ANN> in <#C1|general>: <https://x.io|x> at <!date^1677837600^{time}|1:00 PM> &lt;!channel&gt;';
    expect(inertText(kept)).toBe(kept);
  });

  it('drops embeddings, overrides and isolates, keeps the stateless marks and RTL text', () => {
    expect(inertText('a\u202Eb\u202Cc\u2066d\u2069 \u200F\u200E\u061C مرحبا')).toBe('abcd \u200F\u200E\u061C مرحبا');
  });
});

describe('inertPayload', () => {
  it('reaches every shown text at any depth and leaves ids, values and metadata alone', () => {
    const message = {
      text: 'fallback <!here>',
      blocks: [
        { type: 'section', block_id: '<!here>', text: { type: 'mrkdwn', text: '*Role* <!channel>' }, fields: [{ type: 'mrkdwn', text: '<!everyone>' }] },
        { type: 'actions', elements: [{ type: 'button', value: '<!here>', text: { type: 'plain_text', text: '\u202Eack' } }] },
      ],
      metadata: { type: 'incident', payload: { text: '<!here>' } },
    };
    expect(inertPayload(message)).toEqual({
      text: `fallback @${WJ}here`,
      blocks: [
        { type: 'section', block_id: '<!here>', text: { type: 'mrkdwn', text: `*Role* @${WJ}channel` }, fields: [{ type: 'mrkdwn', text: `@${WJ}everyone` }] },
        { type: 'actions', elements: [{ type: 'button', value: '<!here>', text: { type: 'plain_text', text: 'ack' } }] },
      ],
      metadata: { type: 'incident', payload: { text: '<!here>' } },
    });
    expect(message.text).toBe('fallback <!here>'); // a copy: the caller's message is untouched
  });
});

describe('escapePlainText', () => {
  it("puts typed text into Slack's escaped form, & first so nothing is escaped twice", () => {
    expect(escapePlainText('latency <100ms to >2s & 5xx, &lt; typed')).toBe('latency &lt;100ms to &gt;2s &amp; 5xx, &amp;lt; typed');
    expect(escapePlainText('plain')).toBe('plain');
  });
});
