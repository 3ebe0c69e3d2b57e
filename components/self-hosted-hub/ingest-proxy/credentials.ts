/**
 * Bearer tokens -> account, looked up by SHA-256 digest so the proxy keeps no token in a
 * comparable form and a lookup's timing says nothing about how close a guess was.
 */
import { createHash } from "crypto";
import { IngestProxyConfig } from "./proxy-config";

function digest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A token shorter than this is refused at start-up: it would be guessable. */
export const MIN_TOKEN_LENGTH = 32;

export class Credentials {
  private readonly accountByDigest = new Map<string, string>();
  private readonly queryDigest: string;

  constructor(config: IngestProxyConfig, env: NodeJS.ProcessEnv) {
    const read = (name: string, what: string) => {
      const token = env[name];
      if (token === undefined || token.length < MIN_TOKEN_LENGTH) {
        throw new Error(`${what}: environment variable ${name} is missing or shorter than ${MIN_TOKEN_LENGTH} characters (it is filled from Secrets Manager)`);
      }
      return digest(token);
    };
    for (const tenant of config.tenants) {
      const tokenDigest = read(tenant.tokenEnv, `ingest credential of account ${tenant.account}`);
      if (this.accountByDigest.has(tokenDigest)) throw new Error(`accounts ${this.accountByDigest.get(tokenDigest)} and ${tenant.account} share one ingest credential`);
      this.accountByDigest.set(tokenDigest, tenant.account);
    }
    this.queryDigest = read(config.queryTokenEnv, "query credential");
    if (this.accountByDigest.has(this.queryDigest)) throw new Error("the query credential equals an ingest credential");
  }

  /** The account a remote-write bearer token belongs to. */
  accountOf(authorization: string | undefined): string | undefined {
    const token = bearer(authorization);
    return token === undefined ? undefined : this.accountByDigest.get(digest(token));
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
