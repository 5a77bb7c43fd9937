// What a form carries through Slack (its `private_metadata`): the channel it was opened from.

export interface ModalMetadata {
  channelId: string;
}

export function modalMetadata(metadata: ModalMetadata): string {
  return JSON.stringify(metadata);
}

/** Undefined when it is not ours or was tampered with. */
export function parseModalMetadata(raw: string | undefined): ModalMetadata | undefined {
  try {
    const parsed: unknown = JSON.parse(raw ?? '');
    if (parsed && typeof parsed === 'object' && typeof (parsed as ModalMetadata).channelId === 'string') return { channelId: (parsed as ModalMetadata).channelId };
  } catch {
    // Not JSON: not ours.
  }
  return undefined;
}
