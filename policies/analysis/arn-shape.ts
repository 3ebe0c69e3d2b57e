/**
 * Whether a Resource ARN from a policy can name a resource of a given type, whose ARN format
 * the reference gives with variables (`arn:${Partition}:aps:${Region}:${Account}:workspace/${WorkspaceId}`).
 *
 * Both sides are patterns: the policy's `*` and `?` (and policy variables such as
 * `${aws:username}`) stand for any text, the format's variables for any non-empty text. The ARN
 * fits the type when some ARN matches both, decided segment by segment: partition, service,
 * region and account never span a colon; the resource part may contain colons and slashes.
 */
import { memo, remembered } from "./memo";

type CharToken = { kind: "char"; char: string };
type Token = CharToken | { kind: "one" } | { kind: "star" };

function tokens(pattern: string, variables: "policy" | "format"): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "$" && pattern[i + 1] === "{") {
      const end = pattern.indexOf("}", i + 2);
      if (end > 0) {
        // A format variable is never empty; a policy variable is resolved at request time.
        if (variables === "format") out.push({ kind: "one" });
        out.push({ kind: "star" });
        i = end;
        continue;
      }
    }
    if (variables === "policy" && char === "*") out.push({ kind: "star" });
    else if (variables === "policy" && char === "?") out.push({ kind: "one" });
    else out.push({ kind: "char", char: char.toLowerCase() });
  }
  return out;
}

/**
 * True when some string matches both token patterns. Filled from the ends backwards, one cell
 * per pair of positions, so a long resource part costs memory, never stack depth.
 */
function intersects(a: Token[], b: Token[]): boolean {
  const width = b.length + 1;
  // fits[i * width + j]: a[i..] and b[j..] have a common match.
  const fits = new Uint8Array((a.length + 1) * width);
  for (let i = a.length; i >= 0; i--) {
    for (let j = b.length; j >= 0; j--) {
      const next = (di: number, dj: number) => fits[(i + di) * width + j + dj] === 1;
      let result: boolean;
      if (i === a.length && j === b.length) result = true;
      else if (i < a.length && a[i].kind === "star") result = next(1, 0) || (j < b.length && next(0, 1));
      else if (j < b.length && b[j].kind === "star") result = next(0, 1) || (i < a.length && next(1, 0));
      else if (i === a.length || j === b.length) result = false;
      else {
        const x = a[i];
        const y = b[j];
        // Stars were taken above: what is neither "one" is a character.
        const compatible = x.kind === "one" || y.kind === "one" || (x as CharToken).char === (y as CharToken).char;
        result = compatible && next(1, 1);
      }
      fits[i * width + j] = result ? 1 : 0;
    }
  }
  return fits[0] === 1;
}

/** `arn`, partition, service, region, account, resource (the rest, colons included). */
function segments(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

const cache = memo<string, boolean>();

/** Whether the policy's ARN (pattern) can name a resource of the format. */
export function arnFitsFormat(policyArn: string, format: string): boolean {
  return remembered(cache, `${policyArn}\u0000${format}`, () => fitsFormat(policyArn, format));
}

function fitsFormat(policyArn: string, format: string): boolean {
  const policy = segments(policyArn);
  // Every ARN format of the reference has all six segments (tests/policies/reference.test.ts).
  const shape = segments(format)!;
  let fits: boolean;
  if (!policy) {
    // A policy ARN with fewer than six segments can still fit when a wildcard in its last
    // segment spans the ones it leaves out; the segments before it still fit one by one.
    const parts = policyArn.split(":");
    const last = parts.length - 1;
    fits = policyArn.includes("*") && parts.every((part, index) =>
      intersects(tokens(part, "policy"), tokens(index < last ? shape[index] : shape.slice(index).join(":"), "format")));
  } else {
    fits = policy.every((part, index) => intersects(tokens(part, "policy"), tokens(shape[index], "format")));
  }
  return fits;
}
