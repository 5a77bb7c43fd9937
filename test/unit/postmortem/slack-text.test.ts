import { slackToPlainText } from '../../../src/postmortem/slack-text';

const names = new Map([
  ['U1', 'Amina Odhiambo'],
  ['U2', 'Brian Otieno'],
]);
const plain = (text: string) => slackToPlainText(text, names);
/** Anything that Slack would turn back into a ping, mention or channel link if posted unescaped. */
const PING = /<[!@#]/;

describe('slackToPlainText', () => {
  it('leaves ordinary text alone', () => {
    expect(plain('Checkout is slow for 75% of users.')).toBe('Checkout is slow for 75% of users.');
  });

  describe('user mentions', () => {
    it('uses the display name for a known user', () => {
      expect(plain('paged <@U1> and <@U2>')).toBe('paged @Amina Odhiambo and @Brian Otieno');
    });

    it('prefers the known display name over the label Slack sent', () => {
      expect(plain('<@U1|amina>')).toBe('@Amina Odhiambo');
    });

    it('uses the label for an unknown user, else the id', () => {
      expect(plain('<@U9|ghost> and <@W42>')).toBe('@ghost and @W42');
    });
  });

  it('turns channel links into #name', () => {
    expect(plain('see <#C1|inc-42-checkout> and <#C2>')).toBe('see #inc-42-checkout and #C2');
  });

  it('turns special mentions into plain words', () => {
    expect(plain('<!channel> <!here> <!everyone> <!here|here>')).toBe('@channel @here @everyone @here');
    expect(plain('<!subteam^S1|@oncall> <!subteam^S2>')).toBe('@oncall @S2');
    expect(plain('since <!date^1677837600^{date_short}|Mar 3, 2023>')).toBe('since Mar 3, 2023');
  });

  describe('links', () => {
    it('shows a labelled link as "label (url)"', () => {
      expect(plain('<https://status.example.com|status page>')).toBe('status page (https://status.example.com)');
    });

    it('shows a bare link, or one labelled with itself, once', () => {
      expect(plain('<https://x.io/a>')).toBe('https://x.io/a');
      expect(plain('<https://x.io/a|https://x.io/a>')).toBe('https://x.io/a');
    });

    it('drops mailto: when the label is the address', () => {
      expect(plain('<mailto:support@guitarshoppro.com|support@guitarshoppro.com>')).toBe('support@guitarshoppro.com');
      expect(plain('<mailto:support@guitarshoppro.com|support>')).toBe('support (support@guitarshoppro.com)');
    });

    it('unescapes the address and the label', () => {
      expect(plain('<https://x.io/?a=1&amp;b=2|Q &amp; A>')).toBe('Q & A (https://x.io/?a=1&b=2)');
    });
  });

  describe('escapes', () => {
    it('unescapes &amp; &lt; &gt;', () => {
      expect(plain('p99 &lt; 200ms &amp;&amp; errors &gt; 1%')).toBe('p99 < 200ms && errors > 1%');
    });

    it('unescapes exactly once', () => {
      expect(plain('&amp;lt;b&amp;gt;')).toBe('&lt;b&gt;');
    });

    it('keeps other entities and unmatched brackets as typed', () => {
      expect(plain('&copy; &quot; a < b')).toBe('&copy; &quot; a < b');
    });
  });

  describe('hostile text', () => {
    it('never leaves a ping behind, whether typed literally or as markup', () => {
      for (const text of ['&lt;!channel&gt;', '&lt;!here&gt; now', '&lt;@U1&gt;', '&lt;#C1|x&gt;', '<!channel>', '<<!here>>']) {
        expect(plain(text)).not.toMatch(PING);
      }
    });

    it('keeps literal ping-like text readable', () => {
      expect(plain('&lt;!channel&gt;').replace(/\u200B/g, '')).toBe('<!channel>');
    });

    it('does not let a display name smuggle markup in', () => {
      const sneaky = new Map([['U6', '<!channel> &amp;']]);
      expect(slackToPlainText('<@U6>', sneaky)).not.toMatch(PING);
      expect(slackToPlainText('<@U6>', sneaky)).toContain('&amp;');
    });

    it('strips control characters and normalises line endings', () => {
      expect(plain('a\u0000b\u0007c\r\nd\re\u007F\tf')).toBe('abc\nd\ne\tf');
    });

    it('copes with empty and degenerate markup', () => {
      expect(plain('<>')).toBe('');
      expect(plain('<|>')).toBe('');
      expect(plain('<@>')).toBe('@');
      expect(plain('<<<')).toBe('<<<');
    });

    it('keeps emoji and right-to-left text intact', () => {
      expect(plain('🔥 <@U1> مرحبا')).toBe('🔥 @Amina Odhiambo مرحبا');
    });
  });
});
