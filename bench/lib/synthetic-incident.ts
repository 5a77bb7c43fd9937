// A synthetic but realistic incident of any size for the postmortem benchmark: declared, worked on
// for six hours by eight people (notes, highlighted Slack messages, status and severity changes,
// roles, acknowledgements, impact, cause, action items), resolved. Texts carry Slack markup
// (mentions, links, entities, emphasis, code, emoji, line breaks) so decoding and escaping do real
// work. Deterministic: a seeded generator, so every run and every size draws from the same stream.

import type { Incident } from '../../src/domain/incident';
import type { EventData, TimelineEvent, TimelineKind } from '../../src/domain/timeline';
import type { CompileInput } from '../../src/postmortem/compile';

const DECLARED_AT = Date.UTC(2026, 2, 3, 9, 0);
const HOUR = 3_600_000;
const SPAN = 6 * HOUR;
const PEOPLE = ['U01AMINA', 'U02BRIAN', 'U03CHEBET', 'U04DAVID', 'U05ESTHER', 'U06FELIX', 'U07GRACE', 'U08HASSAN'];
const NAMES = ['Amina Odhiambo', 'Brian Otieno', 'Chebet Kiprono', 'David Kamau', 'Esther Wanjiru', 'Felix Mutua', 'Grace Njeri', 'Hassan Ali'];
const STATUSES = ['investigating', 'identified', 'monitoring'];
const SEVERITIES = ['sev1', 'sev2', 'sev3'];

const PHRASES = [
  'p99 latency on checkout-api at 2.3s, error budget burning at 14x',
  'Looking at <https://grafana.example.com/d/abc123/checkout?orgId=1&var-region=eu-west|the checkout dashboard>',
  'DB connections maxed out (500/500), replica lag 40s &lt;- that is the problem',
  '*Confirmed*: the 14:02 deploy changed the pool size from 50 to 5',
  'Rolling back `payments-svc` to v2.41.3 :rocket:',
  'Customers in EU report "cart empties at step 3" — support ticket #48213',
  'Paging <!subteam^S0456EFGH|@platform-oncall> for the load balancer side',
  'Cache hit ratio down to 12% | was 94% before the incident',
  'CDN purge done\nwaiting for TTLs (5 min) before we re-check',
  'False alarm on the DDoS theory: traffic is flat, _it is our own retries_',
];

/** Mulberry32: a tiny seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Kind of the k-th middle event, by a fixed mix (weights out of 100). */
const MIX: ReadonlyArray<readonly [TimelineKind, number]> = [
  ['note', 40],
  ['message', 35],
  ['status', 4],
  ['severity', 2],
  ['action', 5],
  ['acknowledged', 3],
  ['role', 3],
  ['lead', 1],
  ['impact', 3],
  ['cause', 4],
];

function pickKind(r: number): TimelineKind {
  let acc = 0;
  for (const [kind, weight] of MIX) {
    acc += weight / 100;
    if (r < acc) return kind;
  }
  return 'note';
}

export function syntheticIncident(size: number, seed = 42): CompileInput {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const resolvedAt = DECLARED_AT + SPAN - HOUR / 2;
  const incident: Incident = {
    id: 'inc-bench',
    number: 4242,
    teamId: 'T0BENCH',
    title: 'Checkout latency & errors in <eu-west>',
    severity: 'sev1',
    status: 'resolved',
    commanderId: PEOPLE[0],
    declaredBy: PEOPLE[0],
    roles: { communications: PEOPLE[1], scribe: PEOPLE[2] },
    isPrivate: false,
    declaredAt: DECLARED_AT,
    resolvedAt,
    updatedAt: resolvedAt,
  };
  const events: TimelineEvent[] = [];
  const push = (kind: TimelineKind, at: number, text: string, actorId: string | undefined, data?: EventData, recordedAt = at): void => {
    const id = `ev-${String(events.length + 1).padStart(7, '0')}`;
    events.push({ id, incidentId: incident.id, kind, at, recordedAt, actorId, text, sourceId: `bench:${id}`, ...(data ? { data } : {}) });
  };
  push('declared', DECLARED_AT, 'Checkout latency & errors in eu-west', PEOPLE[0], { severity: 'sev2' });
  const middle = Math.max(0, size - 2);
  for (let k = 0; k < middle; k++) {
    const kind = pickKind(random());
    const actor = pick(PEOPLE);
    let at = DECLARED_AT + Math.floor(((k + 1) / (middle + 1)) * (resolvedAt - DECLARED_AT));
    const text = `${pick(PHRASES)} <@${pick(PEOPLE)}> (${k})`;
    switch (kind) {
      case 'note': {
        // One note in twenty is backdated: stored later than it happened, so the compiler must sort.
        const recordedAt = at;
        const backdated = random() < 0.05;
        if (backdated) at = Math.max(DECLARED_AT, at - Math.floor(random() * HOUR));
        push(kind, at, text, actor, backdated ? { backdated: true } : undefined, recordedAt);
        break;
      }
      case 'message':
        push(kind, at, text, actor, { highlightedBy: pick(PEOPLE), via: random() < 0.8 ? 'reaction' : 'pin' });
        break;
      case 'status':
        push(kind, at, random() < 0.5 ? '' : text, actor, { from: pick(STATUSES), to: pick(STATUSES) });
        break;
      case 'severity':
        push(kind, at, '', actor, { from: pick(SEVERITIES), to: pick(SEVERITIES) });
        break;
      case 'action':
        push(kind, at, `Follow-up: ${text}`, actor, random() < 0.7 ? { owner: pick(PEOPLE) } : undefined);
        break;
      case 'acknowledged':
        push(kind, at, '', actor);
        break;
      case 'role':
        push(kind, at, '', actor, { role: pick(['communications', 'scribe', 'ops lead']), to: pick(PEOPLE) });
        break;
      case 'lead':
        push(kind, at, '', actor, { to: pick(PEOPLE) });
        break;
      default:
        push(kind, at, text, actor);
    }
  }
  if (size > 1) push('resolved', resolvedAt, 'Rolled back; error rate under 0.1% for 30 minutes', PEOPLE[0]);
  return {
    incident,
    timeline: events,
    timeZone: 'Africa/Nairobi',
    names: new Map(PEOPLE.map((id, i) => [id, NAMES[i]])),
    escalations: [],
    compiledAt: resolvedAt + HOUR / 4,
  };
}
