/**
 * The JSON document the AMP alertmanager's SNS message template emits, one per
 * notification group. The template is rendered elsewhere in the alert pipeline; this type
 * is the contract both sides keep. Values are strings exactly as Alertmanager holds them.
 */

export type AmpAlertStatus = "firing" | "resolved";

export interface AmpAlert {
  status: AmpAlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339; Alertmanager writes "0001-01-01T00:00:00Z" when it has no end yet. */
  endsAt: string;
  generatorURL: string;
  /** Alertmanager's label-set fingerprint: 16 lower-case hex digits. */
  fingerprint: string;
}

export interface AmpAlertMessage {
  version: "1";
  status: AmpAlertStatus;
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AmpAlert[];
}

/** Loose shape check used to tell an AMP message from the other inputs; fields are validated one by one later. */
export function looksLikeAmpAlertMessage(value: unknown): value is { alerts: unknown[] } & Record<string, unknown> {
  return typeof value === "object" && value !== null && Array.isArray((value as { alerts?: unknown }).alerts);
}
