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

/** "Create ticket" under an action item; its value is the item's source id. */
export const CREATE_TICKET_ACTION = 'action_item_create_ticket';

/** The stakeholder update form (`/incident update` without text, or "Post update" on a reminder). */
export const UPDATE_VIEW = {
  callbackId: 'incident_update',
  statusBlock: 'status_block',
  statusInput: 'status',
  knownBlock: 'known_block',
  knownInput: 'known',
  doingBlock: 'doing_block',
  doingInput: 'doing',
  needBlock: 'need_block',
  needInput: 'need',
  nextBlock: 'next_block',
  nextInput: 'next',
} as const;

/** Buttons on an update reminder; their value is the incident id. */
export const REMINDER_ACTIONS = {
  postUpdate: 'reminder_post_update',
  snooze15: 'reminder_snooze_15',
  snooze30: 'reminder_snooze_30',
  stop: 'reminder_stop',
} as const;

/** The Declare button on the App Home tab: opens the declare form. */
export const HOME_DECLARE_ACTION = 'home_declare_incident';

/** Edit / Remove under an entry of `/incident timeline`; the value names the entry (usecases/corrections EntryRef). */
export const TIMELINE_EDIT_ACTION = 'timeline_entry_edit';
export const TIMELINE_REMOVE_ACTION = 'timeline_entry_remove';

export const EDIT_ENTRY_VIEW = {
  callbackId: 'timeline_entry_edit',
  textBlock: 'entry_text_block',
  textInput: 'entry_text',
} as const;

/** The message shortcut "Add to incident timeline" (manifest `shortcuts`), and the form it opens. */
export const ADD_TO_TIMELINE_SHORTCUT = 'add_to_incident_timeline';
export const ADD_TO_TIMELINE_VIEW = {
  callbackId: 'add_to_incident_timeline_form',
  incidentBlock: 'incident_block',
  incidentInput: 'incident',
} as const;
