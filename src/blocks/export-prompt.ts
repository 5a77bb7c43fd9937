// The message under a posted postmortem: the Export to Confluence button, or why there is none.

import type { ConfluenceConfig } from '../config/confluence-config';
import { confluenceDisabledMessage } from '../config/confluence-config';
import { incidentKey, type Incident } from '../domain/incident';
import type { ChatMessage } from '../ports/chat-gateway';
import { EXPORT_CONFLUENCE_ACTION } from './ids';

export function exportPrompt(incident: Incident, confluence: ConfluenceConfig): ChatMessage {
  const page = incident.confluencePage;
  if (!confluence.enabled) {
    return { text: `${incidentKey(incident)}: ${confluenceDisabledMessage(confluence.missing)}` };
  }
  const where = page
    ? `It is on Confluence: <${page.url}|${page.title}> (version ${page.version}); exporting again updates that page.`
    : 'Export it to Confluence to keep the record.';
  return {
    text: `${incidentKey(incident)} postmortem: ${where}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: where } },
      {
        type: 'actions',
        block_id: 'postmortem_export',
        elements: [
          {
            type: 'button',
            action_id: EXPORT_CONFLUENCE_ACTION,
            text: { type: 'plain_text', text: page ? 'Update Confluence page' : 'Export to Confluence' },
            value: incident.id,
          },
        ],
      },
    ],
  };
}
