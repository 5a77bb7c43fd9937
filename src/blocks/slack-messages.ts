// The effects' messages in Slack's words (the ChatMessages port), from the Block Kit builders here.

import type { ChatMessages } from '../ports/chat-messages';
import { announcementCard, announcementMetadata } from './announcement-card';
import { exportPrompt } from './export-prompt';
import { channelPurpose, channelTopic, headerMessage, headerMetadata } from './incident-header';
import { pageMessage, settledPageMessage } from './page-message';
import { rolesNudge, severityNudge, updateReminderMessage } from './reminder-message';
import { slackText } from './said';

export const slackMessages: ChatMessages = {
  header: headerMessage,
  headerMetadata,
  channelTopic,
  channelPurpose,
  announcementCard,
  announcementMetadata,
  exportPrompt,
  page: pageMessage,
  settledPage: settledPageMessage,
  updateReminder: updateReminderMessage,
  rolesNudge,
  severityNudge,
  text: slackText,
};
