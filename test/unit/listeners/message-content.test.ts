// What a Slack message says, in the shapes Slack sends: people's text, alerts (attachments, blocks),
// files, and who posted it.

import { integrationName, isOwnMessage, messageText } from '../../../src/listeners/events/message-content';

describe('messageText', () => {
  it('is the text as sent when there is any', () => {
    expect(messageText({ text: '  rolling back &lt;build 142&gt; ', attachments: [{ fallback: 'unfurl' }] })).toBe('  rolling back &lt;build 142&gt; ');
  });

  it("is an alert's attachments when its text is empty: pretext, linked title, text and fields, or else the fallback", () => {
    const attachments = [
      { pretext: 'Monitor alert', title: 'p99 > 2s', title_link: 'https://dd.example/m/1', text: 'for 5 minutes', fields: [{ title: 'Host', value: 'web-1' }, { title: 'Env' }] },
      { fallback: '[Recovered] disk 60%' },
      { color: '#ff0000' },
    ];
    expect(messageText({ text: '', attachments })).toBe('Monitor alert\n<https://dd.example/m/1|p99 &gt; 2s>\nfor 5 minutes\nHost: web-1\nEnv\n[Recovered] disk 60%');
  });

  it("is the blocks' text when there is neither: plain_text escaped, mrkdwn as it is, rich text rebuilt as markup", () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'Incident <#1234> & more' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Service* &lt;eu&gt;' }, fields: [{ type: 'mrkdwn', text: '*Urgency* high' }] },
      {
        type: 'context',
        elements: [
          { type: 'plain_text', text: 'by' },
          { type: 'image', image_url: 'x' },
          { type: 'mrkdwn', text: '<@U1>' },
        ],
      },
      { type: 'divider' },
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: 'see ' },
              { type: 'link', url: 'https://status.example', text: 'status <page>' },
              { type: 'text', text: ' cc ' },
              { type: 'user', user_id: 'U2' },
              { type: 'broadcast', range: 'here' },
              { type: 'emoji', name: 'fire' },
            ],
          },
          { type: 'rich_text_list', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'a&b' }] }] },
        ],
      },
    ];
    expect(messageText({ blocks })).toBe(
      'Incident &lt;#1234&gt; &amp; more\n*Service* &lt;eu&gt;\n*Urgency* high\nby <@U1>\nsee <https://status.example|status &lt;page&gt;> cc <@U2><!here>:fire:\n• a&amp;b',
    );
  });

  it('adds a line per file: its title, else its name, linked; a file the bot may not see or one deleted is still named', () => {
    const files = [
      { id: 'F1', name: 'p99.png', title: 'p99 <last hour>', permalink: 'https://acme.slack.com/files/U1/F1/p99.png' },
      { id: 'F2', name: 'heap.txt', url_private: 'https://files.slack.com/files-pri/T1-F2/heap.txt' },
      { id: 'F3', file_access: 'check_file_info' },
      { id: 'F4', mode: 'tombstone' },
    ];
    expect(messageText({ text: 'graphs', files }).split('\n')).toEqual([
      'graphs',
      'File: <https://acme.slack.com/files/U1/F1/p99.png|p99 &lt;last hour&gt;>',
      'File: <https://files.slack.com/files-pri/T1-F2/heap.txt|heap.txt>',
      'File: file F3',
      'File: (deleted)',
    ]);
    expect(messageText({ text: '', files: [files[1]] })).toBe('File: <https://files.slack.com/files-pri/T1-F2/heap.txt|heap.txt>');
  });

  it('reads malformed parts as nothing rather than throwing', () => {
    expect(messageText({ text: 7, attachments: 'x', blocks: [null, 3, { type: 'section', text: 'no object' }], files: {} })).toBe('');
  });
});

describe('integrationName', () => {
  it("is a webhook's username, else the app's bot profile name, escaped; none for a person", () => {
    expect(integrationName({ subtype: 'bot_message', bot_id: 'B1', username: 'Grafana <prod>' })).toBe('Grafana &lt;prod&gt;');
    expect(integrationName({ user: 'U9', bot_id: 'B2', bot_profile: { name: 'PagerDuty' } })).toBe('PagerDuty');
    expect(integrationName({ subtype: 'bot_message', bot_id: 'B3' })).toBe('An integration');
    expect(integrationName({ user: 'U1', text: 'hi' })).toBeUndefined();
  });
});

describe('isOwnMessage', () => {
  it("is true for the bot's user or bot id only", () => {
    const self = { botId: 'B0SELF', botUserId: 'U0SELF' };
    expect(isOwnMessage({ user: 'U0SELF' }, self)).toBe(true);
    expect(isOwnMessage({ bot_id: 'B0SELF' }, self)).toBe(true);
    expect(isOwnMessage({ bot_id: 'B0OTHER', user: 'U0OTHER' }, self)).toBe(false);
    expect(isOwnMessage({ user: 'U0SELF' }, {})).toBe(false);
  });
});
