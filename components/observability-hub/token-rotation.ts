/**
 * Rotation of the Grafana service-account token that drives the Grafana provider. AMG
 * tokens live at most 30 days; a token created once stops every folder, data source and
 * dashboard update at its expiry. The token's name carries the start of the current
 * rotation window (half the token's lifetime), so the first run of each window replaces
 * it: Pulumi creates the new token before deleting the old one, and any run leaves at
 * least half a lifetime on the token in use. Pure: the clock is an argument.
 */

const DAY_MS = 24 * 3600 * 1000;

export interface TokenRotation {
  /** Name of the token for this window, e.g. `pulumi-automation-2026-11-22`. */
  tokenName: string;
  secondsToLive: number;
  windowStart: Date;
  /** The first run on or after this instant rotates the token. */
  nextRotation: Date;
}

export function tokenRotation(now: Date, ttlDays: number, namePrefix = "pulumi-automation"): TokenRotation {
  if (!Number.isInteger(ttlDays) || ttlDays < 2 || ttlDays > 30) {
    throw new Error(`Grafana token lifetime must be 2-30 whole days (AMG allows at most 30), got ${ttlDays}`);
  }
  const windowDays = Math.floor(ttlDays / 2);
  const windowIndex = Math.floor(now.getTime() / (windowDays * DAY_MS));
  const windowStart = new Date(windowIndex * windowDays * DAY_MS);
  return {
    tokenName: `${namePrefix}-${windowStart.toISOString().slice(0, 10)}`,
    secondsToLive: ttlDays * 24 * 3600,
    windowStart,
    nextRotation: new Date(windowStart.getTime() + windowDays * DAY_MS),
  };
}
