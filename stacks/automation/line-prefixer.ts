/**
 * Engine output arrives in chunks that can split lines; concurrent stacks would interleave
 * them mid-line. This buffers until a line is complete and prefixes it with the stack.
 */
export interface LinePrefixer {
  push(chunk: string): void;
  /** Emits a trailing partial line, if any. */
  flush(): void;
}

export function createLinePrefixer(prefix: string, writeLine: (line: string) => void): LinePrefixer {
  let pending = "";
  return {
    push(chunk: string): void {
      const parts = (pending + chunk).split(/\r?\n/);
      pending = parts.pop() ?? "";
      for (const line of parts) writeLine(`${prefix}${line}`);
    },
    flush(): void {
      if (pending !== "") writeLine(`${prefix}${pending}`);
      pending = "";
    },
  };
}
