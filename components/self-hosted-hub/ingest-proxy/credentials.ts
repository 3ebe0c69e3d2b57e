/**
 * Bearer tokens -> account, looked up by SHA-256 digest so the proxy keeps no token in a
 * comparable form and a lookup's timing says nothing about how close a guess was.
 *
 * The accounts' tokens come from a directory re-read while the proxy runs (`<account>.json`
 * holding `{"token":"..."}`, the ingest secret's value as the task's account sync writes it,
 * and `<account>.previous.json`, the secret's previous version): an
 * account added to the directory is accepted without a restart, a removed one is refused, and
 * after a rotation both the new and the previous token are accepted, so collectors can be
 * restarted onto the new one at any time before the next rotation.
 */
import { createHash } from "crypto";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { IngestProxyConfig } from "./proxy-config";

function digest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A token shorter than this is refused at start-up: it would be guessable. */
export const MIN_TOKEN_LENGTH = 32;

/** Account names a token file may carry (the organisation model's names), current or previous version. */
const ACCOUNT_FILE = /^([a-z0-9][a-z0-9-]{0,62})(?:\.previous)?\.json$/;

export interface DirectoryReadResult {
  accounts: number;
  /** Files not taken, each with why (never the token). */
  skipped: { file: string; reason: string }[];
}

export class Credentials {
  private directoryByDigest = new Map<string, string>();
  private directoryAccounts = new Set<string>();
  private readonly queryDigest: string;

  constructor(config: IngestProxyConfig, env: NodeJS.ProcessEnv) {
    const read = (name: string, what: string) => {
      const token = env[name];
      if (token === undefined || token.length < MIN_TOKEN_LENGTH) {
        throw new Error(`${what}: environment variable ${name} is missing or shorter than ${MIN_TOKEN_LENGTH} characters (it is filled from Secrets Manager)`);
      }
      return digest(token);
    };
    this.queryDigest = read(config.queryTokenEnv, "query credential");
  }

  /**
   * Re-reads the token directory and replaces what it held before, all at once. A file that
   * is unreadable, malformed, short, the query token, or shares its token with another
   * account is skipped (both sharing accounts are), so one bad file never stops the others.
   */
  readDirectory(directory: string): DirectoryReadResult {
    const skipped: DirectoryReadResult["skipped"] = [];
    const found = new Map<string, string[]>();
    for (const file of readdirSync(directory).sort()) {
      const match = ACCOUNT_FILE.exec(file);
      if (!match) {
        if (!file.startsWith(".")) skipped.push({ file, reason: "not <account>.json" });
        continue;
      }
      let token: unknown;
      try {
        token = (JSON.parse(readFileSync(join(directory, file), "utf8")) as { token?: unknown }).token;
      } catch {
        skipped.push({ file, reason: "unreadable or not JSON" });
        continue;
      }
      if (typeof token !== "string" || token.length < MIN_TOKEN_LENGTH) {
        skipped.push({ file, reason: `no "token" field of at least ${MIN_TOKEN_LENGTH} characters` });
        continue;
      }
      const tokenDigest = digest(token);
      if (tokenDigest === this.queryDigest) {
        skipped.push({ file, reason: "its token is the query token" });
        continue;
      }
      // The same token in an account's current and previous file (no rotation yet) is one account's.
      const holders = found.get(tokenDigest) ?? [];
      if (!holders.includes(match[1])) found.set(tokenDigest, [...holders, match[1]]);
    }
    const byDigest = new Map<string, string>();
    for (const [tokenDigest, accounts] of found) {
      if (accounts.length > 1) {
        for (const account of accounts) skipped.push({ file: `${account}.json`, reason: `shares its token with ${accounts.filter((a) => a !== account).join(", ")}` });
        continue;
      }
      byDigest.set(tokenDigest, accounts[0]);
    }
    this.directoryByDigest = byDigest;
    this.directoryAccounts = new Set(byDigest.values());
    return { accounts: this.directoryAccounts.size, skipped };
  }

  /** The account a remote-write bearer token belongs to. */
  accountOf(authorization: string | undefined): string | undefined {
    const token = bearer(authorization);
    if (token === undefined) return undefined;
    const tokenDigest = digest(token);
    return this.directoryByDigest.get(tokenDigest);
  }

  /** Whether the account currently has an ingest credential (its query path is served). */
  hasAccount(account: string): boolean {
    return this.directoryAccounts.has(account);
  }

  isQueryToken(authorization: string | undefined): boolean {
    const token = bearer(authorization);
    return token !== undefined && digest(token) === this.queryDigest;
  }
}

function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  return match?.[1];
}
