/** Small text helpers shared by the renderers and the logs. */

/**
 * At most `max` UTF-16 units (the stricter count, whichever way an API counts characters),
 * marked with an ellipsis when cut; a surrogate pair (an emoji) is never cut in half.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return text.slice(0, cut) + "…";
}

/** A raw input for the logs: the head and the tail of anything long, with its full size. */
export function excerpt(text: string, head = 2000, tail = 500): string {
  if (text.length <= head + tail + 100) return text;
  return `${text.slice(0, head)} …[${text.length - head - tail} characters omitted]… ${text.slice(-tail)}`;
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
