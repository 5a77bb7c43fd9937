import { triggerIdFrom, type IdFactory, type TsClock } from './ids';
import type { EphemeralMessage, OpenedView, PublishedHome, ResponseUrlPost } from './types';

/** Slack lets an app exchange a trigger for a modal within 3 seconds, once. */
export const TRIGGER_TTL_MS = 3000;
/** A response_url takes at most 5 posts within 30 minutes. */
const RESPONSE_URL_MAX_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

interface Trigger {
  user: string;
  issuedAt: number;
  exchanged: boolean;
}

/** Where a response_url answers: the channel and person of the command or click, and for a click the message. */
export interface ResponseTarget {
  channel: string;
  user: string;
  messageTs?: string;
}

interface ResponseUrl extends ResponseTarget {
  issuedAt: number;
  uses: number;
}

export type TriggerExchange = { check: 'ok'; user: string } | { check: 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id' };
export type ResponseUrlUse = { check: 'ok'; target: ResponseTarget } | { check: 'expired_url' | 'used_url' };

/**
 * The short-lived handles Slack gives the app with a user action (trigger ids, response URLs) and
 * what the app did with them (modals opened, ephemeral messages, response_url posts).
 * Expiry uses the real wall clock, as Slack does, not the emulator's (possibly fake) clock.
 */
export class Interactions {
  private readonly triggers = new Map<string, Trigger>();
  private readonly responseUrls = new Map<string, ResponseUrl>();
  private readonly views = new Map<string, OpenedView>();
  private readonly homes = new Map<string, PublishedHome>();
  private publishes = 0;
  readonly ephemerals: EphemeralMessage[] = [];
  readonly responses: ResponseUrlPost[] = [];

  constructor(
    private readonly ids: IdFactory,
    private readonly ts: TsClock,
    private readonly triggerTtlMs: number,
    private readonly wallClock: () => number = Date.now,
  ) {}

  issueTrigger(user: string): string {
    const id = triggerIdFrom(this.ts.next());
    this.triggers.set(id, { user, issuedAt: this.wallClock(), exchanged: false });
    return id;
  }

  /** Checks a trigger and, when valid, uses it up. */
  exchangeTrigger(id: string): TriggerExchange {
    const trigger = this.triggers.get(id);
    if (!trigger) return { check: 'invalid_trigger_id' };
    if (trigger.exchanged) return { check: 'exchanged_trigger_id' };
    if (this.wallClock() - trigger.issuedAt > this.triggerTtlMs) return { check: 'expired_trigger_id' };
    trigger.exchanged = true;
    return { check: 'ok', user: trigger.user };
  }

  openView(triggerId: string, user: string, view: Record<string, unknown>): OpenedView {
    const opened: OpenedView = { id: this.ids.next('V'), triggerId, user, view };
    this.views.set(opened.id, opened);
    return opened;
  }

  /** A Home tab keeps its view id across publishes; each publish gets a new hash. */
  publishHome(user: string, view: Record<string, unknown>): PublishedHome {
    const published: PublishedHome = { id: this.homes.get(user)?.id ?? this.ids.next('V'), user, view, hash: `${this.ts.seconds()}.${++this.publishes}` };
    this.homes.set(user, published);
    return published;
  }

  home(user: string): PublishedHome | undefined {
    return this.homes.get(user);
  }

  view(id: string): OpenedView | undefined {
    return this.views.get(id);
  }

  allViews(): OpenedView[] {
    return [...this.views.values()];
  }

  issueResponseUrl(target: ResponseTarget): string {
    const id = this.ids.next('R');
    this.responseUrls.set(id, { ...target, issuedAt: this.wallClock(), uses: 0 });
    return id;
  }

  /** Checks a response_url and, when valid, counts one use. */
  useResponseUrl(id: string): ResponseUrlUse {
    const url = this.responseUrls.get(id);
    if (!url || this.wallClock() - url.issuedAt > RESPONSE_URL_TTL_MS) return { check: 'expired_url' };
    if (url.uses >= RESPONSE_URL_MAX_USES) return { check: 'used_url' };
    url.uses += 1;
    return { check: 'ok', target: url };
  }
}
