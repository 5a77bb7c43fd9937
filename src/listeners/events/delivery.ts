// Events: Bolt answers Slack only after the listener finished (processBeforeResponse), so
// "acknowledged" means "stored". Slack redelivers on timeouts and Bolt does not deduplicate
// event_id, so every event use case is idempotent (upserts, unique source ids); the delivery log
// only records what was seen, for operators.

import type { BotServices } from '../../app/services';

/** `queuesEffects: false` for work that never queues Slack work (a plain message): no outbox wake-up. */
export async function handleDelivery(
  services: BotServices,
  body: { event_id?: string },
  work: () => Promise<void>,
  options: { queuesEffects?: boolean } = {},
): Promise<void> {
  const eventId = body.event_id;
  // Recorded alongside the work rather than after it, so both share a group commit and the answer
  // waits for one disk sync, not two. A delivery whose work fails is still one that was seen.
  const seen = eventId ? services.deps.store.markDelivery(eventId, services.deps.clock.now()) : Promise.resolve(true);
  const [worked, recorded] = await Promise.allSettled([work(), seen]);
  if (worked.status === 'rejected') {
    services.logger.error({ eventId, err: worked.reason }, 'event handling failed');
    // Rethrown so Bolt answers with an error status and Slack delivers the event again.
    throw worked.reason;
  }
  if (recorded.status === 'rejected') throw recorded.reason;
  if (!recorded.value) services.logger.debug({ eventId }, 'repeated delivery absorbed');
  if (options.queuesEffects !== false) services.wakeEffects();
}
