/** Small text helpers shared by the renderers and the logs. */

/** At most `max` characters (code points, so an emoji is never cut in half), marked with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(0, max - 1)).join("") + "…";
}

/** A raw input for the logs: the head and the tail of anything long, with its full size. */
export function excerpt(text: string, head = 2000, tail = 500): string {
  if (text.length <= head + tail + 100) return text;
  return `${text.slice(0, head)} …[${text.length - head - tail} characters omitted]… ${text.slice(-tail)}`;
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
