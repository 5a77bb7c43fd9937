// Events: Bolt answers Slack only after the listener finished (processBeforeResponse), so
// "acknowledged" means "stored". Slack redelivers on timeouts and Bolt does not deduplicate
// event_id, so every event use case is idempotent (upserts, unique source ids); a redelivery is
// visible in the logs by its retryNum.

import type { BotServices } from '../../app/services';

/** Afterwards wakes the queues of the incidents `work` queued effects for (none for a plain message). */
export async function handleDelivery(services: BotServices, body: { event_id?: string }, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    services.logger.error({ eventId: body.event_id, err: error }, 'event handling failed');
    // Rethrown so Bolt answers with an error status and Slack delivers the event again.
    throw error;
  }
  services.wakeEffects();
}
