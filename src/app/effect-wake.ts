// Waking the effect runner after requests: at the end of the event-loop turn, when the turn's
// acknowledgements have gone out, so the ack path stays short. A request names the incidents it
// queued effects for (request-store.ts) and just their queues are kicked, once per turn however
// many requests named them; background work that cannot say (escalation deadlines) asks the store
// which incidents have due effects.

export interface EffectWake {
  /** These incidents' queues have new effects. */
  incidents(ids: Iterable<string>): void;
  /** Some incidents' queues may have due effects: look them up. */
  due(): void;
}

export function effectWake(kick: (incidentId: string) => void, dueIncidents: () => Promise<string[]>, onLookupError: (error: unknown) => void): EffectWake {
  const named = new Set<string>();
  let lookUp = false;
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const ids = [...named];
      named.clear();
      ids.forEach(kick);
      if (!lookUp) return;
      lookUp = false;
      dueIncidents()
        .then((due) => due.forEach(kick))
        .catch(onLookupError);
    });
  };
  return {
    incidents(ids) {
      for (const id of ids) named.add(id);
      if (named.size > 0) schedule();
    },
    due() {
      lookUp = true;
      schedule();
    },
  };
}
