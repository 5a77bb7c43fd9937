// The fuzz tests' ping check must itself be able to fail: these pin what it counts as a ping.

import { mentionedIds, pingsIn, prng, renderedText } from '../../support/hostile-text';

describe('pingsIn', () => {
  const allowed = new Set(['U0ANN', 'S0RESP']);

  it('reports broadcasts, labelled or not, and nothing for their escaped or defused forms', () => {
    expect(pingsIn('look <!channel> <!here|here> <!everyone>', allowed)).toEqual(['<!channel>', '<!here|here>', '<!everyone>']);
    expect(pingsIn('&lt;!channel&gt; @\u2060here <\u200B!here>', allowed)).toEqual([]);
  });

  it('reports a person or group mention only when it is not allowed', () => {
    expect(pingsIn('<@U0ANN> and <@U0ANN|ann> page <!subteam^S0RESP|@resp>', allowed)).toEqual([]);
    expect(pingsIn('<@U0SMUGGLE> <@W0SMUGGLE|x> <!subteam^S0OTHER>', allowed)).toEqual(['<@U0SMUGGLE>', '<@W0SMUGGLE|x>', '<!subteam^S0OTHER>']);
    expect(pingsIn('&lt;@U0SMUGGLE&gt; <\u200B@U0SMUGGLE>', allowed)).toEqual([]);
  });

  it('takes the allowed ids from real mentions in the input', () => {
    expect(mentionedIds('hi <@U123|x>, &lt;@U999&gt; and <!subteam^S1>')).toEqual(['U123', 'S1']);
  });
});

describe('renderedText', () => {
  it('keeps mrkdwn and fallback text, leaves out plain_text, metadata and ids', () => {
    const message = {
      channel: 'C1',
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '<!channel> shown literally' } },
        { type: 'section', block_id: 'b1', text: { type: 'mrkdwn', text: 'section' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'context' }] },
      ],
      metadata: { event_type: 'incident', event_payload: { text: '<!here>' } },
    };
    expect(renderedText(message)).toEqual(['fallback', 'section', 'context']);
    expect(renderedText({ channel: 'C1', topic: 'the topic' })).toEqual(['the topic']);
  });
});

describe('prng', () => {
  it('replays the same sequence from the same seed', () => {
    const a = prng(7);
    const b = prng(7);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Array.from({ length: 5 }, prng(8))).not.toEqual(first);
  });
});
