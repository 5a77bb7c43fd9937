// Slack's per-channel message pace: "about one message per second per channel, short bursts
// allowed" (chat.postMessage; chat.update and pins are tier 2–3). A token bucket per channel,
// shared by the limited methods, answers 429 with Retry-After beyond it, as Slack does.

export interface ChannelRateOptions {
  /** Methods that share the channel's budget, e.g. chat.postMessage and chat.update. */
  methods: string[];
  /** Sustained calls per second per channel. */
  perSecond: number;
  /** Calls allowed at once before the pace applies. */
  burst: number;
  /** Only these channels are paced (all when absent): a test can slow one channel and watch the others. */
  channels?: string[];
}

interface Bucket {
  tokens: number;
  at: number;
}

export class ChannelRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** Every call that was answered 429, for tests. */
  readonly limited: { method: string; channel: string }[] = [];

  constructor(
    private readonly options: ChannelRateOptions,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Seconds to wait when the call is over the channel's budget; undefined when it may go. */
  take(method: string, channel: string | undefined): number | undefined {
    if (!channel || !this.options.methods.includes(method)) return undefined;
    if (this.options.channels && !this.options.channels.includes(channel)) return undefined;
    const now = this.now();
    const bucket = this.buckets.get(channel) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond);
    bucket.at = now;
    this.buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    this.limited.push({ method, channel });
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond));
  }
}
