/**
 * Fingerprints identify one alert across firing and resolution; PagerDuty's dedup_key and
 * the Jira issue label are built from them.
 */
import { createHash } from "crypto";

const FNV_OFFSET_64 = 0xcbf29ce484222325n;
const FNV_PRIME_64 = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
const LABEL_SEPARATOR = 0xff;

/**
 * Alertmanager's own label-set fingerprint (FNV-1a 64 over sorted name, 0xff, value, 0xff),
 * so an alert parsed from the plain-text template gets the same key as from the JSON template.
 */
export function alertmanagerFingerprint(labels: Record<string, string>): string {
  let hash = FNV_OFFSET_64;
  const add = (byte: number) => {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME_64) & MASK_64;
  };
  // Go sorts label names byte-wise; label names are ASCII so code-unit order is the same.
  for (const name of Object.keys(labels).sort()) {
    for (const byte of Buffer.from(name, "utf8")) add(byte);
    add(LABEL_SEPARATOR);
    for (const byte of Buffer.from(labels[name], "utf8")) add(byte);
    add(LABEL_SEPARATOR);
  }
  return hash.toString(16).padStart(16, "0");
}

/** One CloudWatch alarm, whichever path (SNS or EventBridge) its state change arrived by. */
export function cloudWatchFingerprint(account: string, region: string, alarmName: string): string {
  return createHash("sha256").update(`${account}\n${region}\n${alarmName}`).digest("hex").slice(0, 16);
}

const FINGERPRINT = /^[0-9a-f]{16}$/;

/** Fingerprints end up in JQL and URLs; anything not shaped like one is recomputed from the labels. */
export function isWellFormedFingerprint(value: unknown): value is string {
  return typeof value === "string" && FINGERPRINT.test(value);
}
