// Text cut to a length (Slack's and Confluence's field limits) without splitting a surrogate pair.

/** At most `max` UTF-16 units, ending in … when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  let out = '';
  for (const c of chars) {
    if (out.length + c.length > max - 1) break;
    out += c;
  }
  return `${out}…`;
}
