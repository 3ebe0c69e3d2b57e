/** What every destination has in common: outcomes per alert, and the per-alert delivery order. */
import { NormalisedAlert } from "../alert";

export interface DestinationOutcome {
  status: "delivered" | "failed";
  /** What happened there: "posted", "triggered", "resolved", "created", "commented", "no-open-issue"... */
  action: string;
  /** HTTP attempts spent on this alert at this destination. */
  attempts: number;
  error?: string;
}

export function failed(error: string, attempts: number): DestinationOutcome {
  return { status: "failed", action: "none", attempts, error };
}

/**
 * Delivers alert by alert: different fingerprints in parallel (the request limiter caps
 * the load), the same fingerprint in order, so a resolve never overtakes its trigger.
 * Outcomes come back in the order of `alerts`.
 */
export async function deliverEachAlert(
  alerts: NormalisedAlert[],
  deliverOne: (alert: NormalisedAlert) => Promise<DestinationOutcome>,
): Promise<DestinationOutcome[]> {
  const outcomes = new Array<DestinationOutcome>(alerts.length);
  const byFingerprint = new Map<string, number[]>();
  alerts.forEach((alert, index) => {
    const indexes = byFingerprint.get(alert.fingerprint) ?? [];
    indexes.push(index);
    byFingerprint.set(alert.fingerprint, indexes);
  });
  await Promise.all(
    [...byFingerprint.values()].map(async (indexes) => {
      for (const index of indexes) {
        try {
          outcomes[index] = await deliverOne(alerts[index]);
        } catch (error) {
          outcomes[index] = failed(`unexpected error: ${(error as Error)?.message ?? String(error)}`, 0);
        }
      }
    }),
  );
  return outcomes;
}

/** Only absolute http(s) URLs become links or buttons; anything else stays text. */
export function safeHttpUrl(raw: string, maxLength = 3000): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return url.href.length <= maxLength ? url.href : undefined;
  } catch {
    return undefined;
  }
}
