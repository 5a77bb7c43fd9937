// Events: Bolt answers Slack only after the listener finished (processBeforeResponse), so
// "acknowledged" means "stored". Slack redelivers on timeouts and Bolt does not deduplicate
// event_id, so every event use case is idempotent (upserts, unique source ids); a redelivery is
// visible in the logs by its retryNum.

import type { BotServices } from '../../app/services';

/** Afterwards wakes the queues of the incidents `work` queued effects for (none for a plain message). */
export async function handleDelivery(services: BotServices, work: () => Promise<void>): Promise<void> {
  // A failure goes on to Bolt's error handler, which logs it once with the delivery's id (the
  // request scope) and answers with an error, so Slack delivers the event again.
  await work();
  services.wakeEffects();
}
