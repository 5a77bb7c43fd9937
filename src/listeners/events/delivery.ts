// Events: Bolt answers Slack only after the listener finished (processBeforeResponse), so
// "acknowledged" means "stored". Slack redelivers on timeouts and Bolt does not deduplicate
// event_id, so every event use case is idempotent (upserts, unique source ids); a redelivery is
// visible in the logs by its retryNum.

import type { BotServices } from '../../app/services';

/** `queuesEffects: false` for work that never queues Slack work (a plain message): no outbox wake-up. */
export async function handleDelivery(
  services: BotServices,
  body: { event_id?: string },
  work: () => Promise<void>,
  options: { queuesEffects?: boolean } = {},
): Promise<void> {
  try {
    await work();
  } catch (error) {
    services.logger.error({ eventId: body.event_id, err: error }, 'event handling failed');
    // Rethrown so Bolt answers with an error status and Slack delivers the event again.
    throw error;
  }
  if (options.queuesEffects !== false) services.wakeEffects();
}
