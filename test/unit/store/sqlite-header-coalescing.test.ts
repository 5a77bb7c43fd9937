// Header updates coalesce in the store (one pending covers later changes), so the runner must render
// the state as of its claim, not as of its earlier read: a change that lands in between is folded
// into the effect it is about to run.

import type { ChatMessage } from '../../../src/ports/chat-gateway';
import { SqliteIncidentStore } from '../../../src/store/sqlite/sqlite-store';
import { updateHeader } from '../../../src/usecases/effects/channel-effects';
import type { EffectContext } from '../../../src/usecases/effects/effect-context';
import { newEvent, newIncident, T0 } from '../../contract/fixtures';

it('when a change is folded into a header update after the runner read the incident, then the header still shows it', async () => {
  const store = SqliteIncidentStore.open(':memory:');
  const chat = { channelId: 'C1', channelName: 'inc-1', headerTs: '1709283600.000100' };
  const { incident } = await store.declareIncident(newIncident({ severity: 'sev2', chat }), [newEvent()], [{ kind: 'header.update' }]);
  const [effect] = await store.pendingEffects(incident.id);
  const readByRunner = incident;

  await store.applyChange({ incidentId: incident.id, patch: { severity: 'sev1' }, effects: [{ kind: 'header.update' }], now: T0 + 1 });
  expect(await store.pendingEffects(incident.id)).toEqual([effect]); // folded into the pending one
  expect(await store.claimEffect(effect.id, 'runner', T0 + 2, 30_000)).toBe(true);

  const updates: ChatMessage[] = [];
  const updateMessage = async (_channel: string, _ts: string, message: ChatMessage) => void updates.push(message);
  const ctx = { store, chat: { updateMessage }, settings: { timeZone: 'UTC' } } as unknown as EffectContext;
  await updateHeader(ctx, readByRunner);
  expect(updates.map((m) => m.text)).toEqual([expect.stringContaining('sev1')]);
  await store.close();
});
