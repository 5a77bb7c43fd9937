// Every callback, block and action id the bot uses, in one place.
export const DECLARE_VIEW = {
  callbackId: 'incident_declare',
  titleBlock: 'title_block',
  titleInput: 'title',
  severityBlock: 'severity_block',
  severityInput: 'severity',
  descriptionBlock: 'description_block',
  descriptionInput: 'description',
} as const;

/** The Acknowledge button in a page DM; its value is the escalation id. */
export const ESCALATION_ACK_ACTION = 'escalation_acknowledge';

/** Export to Confluence under a posted postmortem; its value is the incident id. */
export const EXPORT_CONFLUENCE_ACTION = 'postmortem_export_confluence';
