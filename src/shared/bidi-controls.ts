// The explicit bidi embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI).
// One left open in user text (an unclosed U+202E) reverses or reorders whatever follows it on the
// line: the bot's own words after a quoted note. The stateless marks (LRM, RLM, ALM) are harmless
// and stay. A character-class body, for the patterns that drop these with other characters.
export const BIDI_CONTROL_RANGES = '\\u202A-\\u202E\\u2066-\\u2069';

const BIDI_CONTROL = new RegExp(`[${BIDI_CONTROL_RANGES}]`, 'g');
const MAYBE_BIDI_CONTROL = new RegExp(`[${BIDI_CONTROL_RANGES}]`);

export function stripBidiControls(text: string): string {
  return MAYBE_BIDI_CONTROL.test(text) ? text.replace(BIDI_CONTROL, '') : text;
}
