/** What code writes to stdout and stderr (the notifier's JSON log lines; warnings and errors go to stderr), kept out of the test report. */

function captureStdio(): { text: () => string; restore: () => void } {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let captured = "";
  const capture = ((chunk: string | Uint8Array) => {
    captured += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  return {
    text: () => captured,
    restore: () => {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}

export function capturingOutputSync(run: () => void): string {
  const stdio = captureStdio();
  try {
    run();
  } finally {
    stdio.restore();
  }
  return stdio.text();
}

export async function capturingOutput(run: () => Promise<unknown>): Promise<string> {
  const stdio = captureStdio();
  try {
    await run();
  } finally {
    stdio.restore();
  }
  return stdio.text();
}
