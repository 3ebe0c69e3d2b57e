/**
 * A forgiving JSON reader for template output that is almost JSON. Alertmanager templates
 * cannot escape values, and SNS cuts messages at 256 KB, so an AMP message can arrive with
 * raw newlines or unescaped quotes inside strings, or cut off mid-document. Strict JSON is
 * always tried first; this reader only runs when that fails.
 */

export interface LenientParseResult {
  value: unknown;
  /** Something had to be reinterpreted (raw control characters, stray quotes, bad escapes, missing commas). */
  repaired: boolean;
  /** The text ended inside a value; only the members that were complete are kept. */
  truncated: boolean;
}

const MAX_DEPTH = 64;

/** What a string sits in decides what may follow its closing quote. */
type Container = "object" | "array";

class LenientReader {
  private pos = 0;
  repaired = false;
  truncated = false;

  constructor(private readonly text: string) {}

  readDocument(): unknown {
    this.skipWhitespace();
    const { value } = this.readValue(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.repaired = true; // trailing junk after the document
    return value;
  }

  /** `complete: false` means the text ended inside this value. */
  private readValue(depth: number, container: Container = "object"): { value: unknown; complete: boolean } {
    if (depth > MAX_DEPTH) throw new SyntaxError("nesting too deep");
    if (this.atEnd()) return this.endedEarly(undefined);
    const char = this.text[this.pos];
    if (char === "{") return this.readObject(depth);
    if (char === "[") return this.readArray(depth);
    if (char === '"') return this.readString(container);
    if (char === "-" || (char >= "0" && char <= "9")) return this.readNumber();
    return this.readLiteral();
  }

  private readObject(depth: number): { value: unknown; complete: boolean } {
    const result: Record<string, unknown> = {};
    this.pos++; // {
    for (;;) {
      this.skipWhitespace();
      if (this.atEnd()) return this.endedEarly(result);
      if (this.text[this.pos] === "}") {
        this.pos++;
        return { value: result, complete: true };
      }
      if (this.text[this.pos] !== '"') throw new SyntaxError(`expected a key at ${this.pos}`);
      const key = this.readString("object");
      if (!key.complete) return this.endedEarly(result);
      this.skipWhitespace();
      if (this.atEnd()) return this.endedEarly(result);
      if (this.text[this.pos] !== ":") throw new SyntaxError(`expected ':' at ${this.pos}`);
      this.pos++;
      this.skipWhitespace();
      const member = this.readValue(depth + 1, "object");
      // A cut-off container keeps what it had; a cut-off scalar is dropped.
      if (member.complete || (typeof member.value === "object" && member.value !== null)) {
        result[key.value as string] = member.value;
      }
      if (!member.complete) return this.endedEarly(result);
      if (!this.readSeparator("}")) return this.endedEarly(result);
    }
  }

  private readArray(depth: number): { value: unknown; complete: boolean } {
    const result: unknown[] = [];
    this.pos++; // [
    for (;;) {
      this.skipWhitespace();
      if (this.atEnd()) return this.endedEarly(result);
      if (this.text[this.pos] === "]") {
        this.pos++;
        return { value: result, complete: true };
      }
      const element = this.readValue(depth + 1, "array");
      // A cut-off element (half an alert) is never passed on.
      if (!element.complete) return this.endedEarly(result);
      result.push(element.value);
      if (!this.readSeparator("]")) return this.endedEarly(result);
    }
  }

  /** After a member: ',' continues, the closer is left for the caller, a missing comma is tolerated. Returns false at end of text. */
  private readSeparator(closer: "}" | "]"): boolean {
    this.skipWhitespace();
    if (this.atEnd()) return false;
    const char = this.text[this.pos];
    if (char === ",") {
      this.pos++;
      return true;
    }
    if (char === closer) return true;
    if (char === '"' || char === "{" || char === "[") {
      this.repaired = true;
      return true;
    }
    throw new SyntaxError(`unexpected '${char}' at ${this.pos}`);
  }

  private readString(container: Container): { value: unknown; complete: boolean } {
    let out = "";
    this.pos++; // opening quote
    while (!this.atEnd()) {
      const char = this.text[this.pos];
      if (char === "\\") {
        if (this.pos + 1 >= this.text.length) return this.endedEarly(undefined);
        const escaped = this.text[this.pos + 1];
        const simple = SIMPLE_ESCAPES[escaped];
        if (simple !== undefined) {
          out += simple;
          this.pos += 2;
          continue;
        }
        if (escaped === "u") {
          const hex = this.text.slice(this.pos + 2, this.pos + 6);
          if (/^[0-9a-fA-F]{4}$/.test(hex)) {
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 6;
            continue;
          }
          if (this.pos + 6 > this.text.length) return this.endedEarly(undefined);
        }
        // Not a JSON escape: the backslash was meant literally.
        this.repaired = true;
        out += "\\";
        this.pos++;
        continue;
      }
      if (char === '"') {
        if (this.closesString(this.pos + 1, container)) {
          this.pos++;
          return { value: out, complete: true };
        }
        this.repaired = true;
        out += char;
        this.pos++;
        continue;
      }
      if (char < " ") this.repaired = true;
      out += char;
      this.pos++;
    }
    return this.endedEarly(undefined);
  }

  /**
   * Whether a quote ends its string: only if what follows is structure (':', '}', ']', the end,
   * or ',' followed by the start of the next member: a key in an object, any value in an
   * array). Otherwise it is a quote inside the text.
   */
  private closesString(from: number, container: Container): boolean {
    let at = this.skipWhitespaceFrom(from);
    if (at >= this.text.length) return true;
    const next = this.text[at];
    if (next === ":" || next === "}" || next === "]") return true;
    if (next !== ",") return false;
    at = this.skipWhitespaceFrom(at + 1);
    if (at >= this.text.length) return true;
    if (container === "object") return this.text[at] === '"' || this.text[at] === "}";
    return /^(["{[\]\-0-9]|(true|false|null)\b)/.test(this.text.slice(at, at + 6));
  }

  private readNumber(): { value: unknown; complete: boolean } {
    const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!match) throw new SyntaxError(`bad number at ${this.pos}`);
    this.pos += match[0].length;
    if (this.atEnd()) return this.endedEarly(undefined); // the digits may have gone on
    return { value: Number(match[0]), complete: true };
  }

  private readLiteral(): { value: unknown; complete: boolean } {
    for (const [word, value] of LITERALS) {
      const available = this.text.slice(this.pos, this.pos + word.length);
      if (available === word) {
        this.pos += word.length;
        return { value, complete: true };
      }
      if (this.pos + available.length >= this.text.length && word.startsWith(available)) {
        this.pos = this.text.length;
        return this.endedEarly(undefined);
      }
    }
    throw new SyntaxError(`unexpected '${this.text[this.pos]}' at ${this.pos}`);
  }

  private endedEarly(value: unknown): { value: unknown; complete: boolean } {
    this.truncated = true;
    return { value, complete: false };
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private skipWhitespace(): void {
    this.pos = this.skipWhitespaceFrom(this.pos);
  }

  private skipWhitespaceFrom(from: number): number {
    let at = from;
    while (at < this.text.length && WHITESPACE.has(this.text[at])) at++;
    return at;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t",
};
const LITERALS: Array<[string, unknown]> = [["true", true], ["false", false], ["null", null]];
const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

/**
 * Strict JSON first; for an object that strict parsing refuses, the forgiving reader.
 * Returns undefined when the text is not a JSON object even by generous reading.
 */
export function parseJsonObjectLeniently(text: string): LenientParseResult | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? { value, repaired: false, truncated: false } : undefined;
  } catch {
    // fall through to the forgiving reader
  }
  if (!text.trimStart().startsWith("{")) return undefined;
  const reader = new LenientReader(text);
  try {
    const value = reader.readDocument();
    if (!isObject(value)) return undefined;
    return { value, repaired: reader.repaired, truncated: reader.truncated };
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
