// Which incident a channel belongs to, remembered. The bot creates each incident channel for its
// incident (or adopts the one it created before a crash), so a channel found to be an incident's
// stays that incident's: a found answer is safe to keep, in every replica. Not-found answers are
// not kept: the channel may become an incident's a moment later.

/** Enough for every incident channel a bot sees in a long while; past it, start over. */
const MAX_REMEMBERED = 10_000;

export class ChannelOwners {
  private readonly owners = new Map<string, string>();

  async find(channelId: string, lookUp: () => Promise<string | undefined>): Promise<string | undefined> {
    const known = this.owners.get(channelId);
    if (known !== undefined) return known;
    const found = await lookUp();
    if (found !== undefined) {
      if (this.owners.size >= MAX_REMEMBERED) this.owners.clear();
      this.owners.set(channelId, found);
    }
    return found;
  }
}
