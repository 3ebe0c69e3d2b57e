/** The ingest proxy's token directory as the account sync writes it: `<account>.json` holding `{"token":"..."}`, mode 0600. */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";

export function writeTokenDirectory(directory: string, tokens: Record<string, string>): string {
  mkdirSync(directory, { recursive: true });
  for (const [account, token] of Object.entries(tokens)) writeFileSync(join(directory, `${account}.json`), JSON.stringify({ token }), { mode: 0o600 });
  return directory;
}
