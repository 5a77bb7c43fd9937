// Events: Bolt answers Slack only after the listener finished (processBeforeResponse), so
// "acknowledged" means "stored". Slack redelivers on timeouts and Bolt does not deduplicate
// event_id, so every event use case is idempotent (upserts, unique source ids); the delivery log
// only records what was seen, for operators.

import type { BotServices } from '../../app/services';

export async function handleDelivery(services: BotServices, body: { event_id?: string }, work: () => Promise<void>): Promise<void> {
  const eventId = body.event_id;
  try {
    await work();
  } catch (error) {
    services.logger.error({ eventId, err: error }, 'event handling failed');
    // Rethrown so Bolt answers with an error status and Slack delivers the event again.
    throw error;
  }
  if (eventId && !(await services.deps.store.markDelivery(eventId, services.deps.clock.now()))) {
    services.logger.debug({ eventId }, 'repeated delivery absorbed');
  }
  services.wakeEffects();
}
