// What a form carries through Slack (its `private_metadata`): the channel it was opened from, and
// for the entry form, which timeline entry it edits.

export interface ModalMetadata {
  channelId: string;
  /** The timeline entry an edit form is for (usecases/corrections EntryRef, as its value). */
  entry?: string;
}

export function modalMetadata(metadata: ModalMetadata): string {
  return JSON.stringify(metadata);
}

/** Undefined when it is not ours or was tampered with. */
export function parseModalMetadata(raw: string | undefined): ModalMetadata | undefined {
  try {
    const parsed: unknown = JSON.parse(raw ?? '');
    const candidate = parsed as Partial<ModalMetadata> | null;
    if (candidate && typeof candidate === 'object' && typeof candidate.channelId === 'string') {
      return { channelId: candidate.channelId, ...(typeof candidate.entry === 'string' ? { entry: candidate.entry } : {}) };
    }
  } catch {
    // Not JSON: not ours.
  }
  return undefined;
}
