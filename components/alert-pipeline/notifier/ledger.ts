/**
 * The delivery ledger: which destination has acknowledged which alert notification, so a
 * retried event (Lambda's retries, SNS redelivery, a replay from the DLQ) goes only to the
 * destinations that have not. One item per alert fingerprint, status, occurrence and
 * destination, written with conditional puts:
 *
 * - claim: put `in-flight` with a lease, only if there is no item, or the item failed, or
 *   its lease ran out (the invocation holding it died). A failed condition returns the
 *   item: `delivered` means skip it, `in-flight` means another invocation is on it now.
 * - acknowledge: the destination accepted it; `delivered` from now on.
 * - release: it failed; the next attempt may claim it at once (conditional on still
 *   holding it, so a late failure never overwrites someone else's `delivered`).
 *
 * It narrows duplicates to one window: a process that dies after the destination accepted
 * but before `acknowledge` leaves a lease that runs out, and the retry delivers again.
 */
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LEDGER_PARTITION_KEY, LEDGER_RETENTION_SECONDS, LEDGER_SORT_KEY, LEDGER_TTL_ATTRIBUTE } from "./ledger-schema";

export interface LedgerKey {
  fingerprint: string;
  status: string;
  /** When and in which notification: see `occurrenceOf`. */
  occurrence: string;
  destination: string;
}

export type ClaimResult =
  /** This invocation holds it: deliver, then acknowledge or release. */
  | { kind: "claimed" }
  /** The destination already has it: do not deliver again. */
  | { kind: "acknowledged"; action?: string }
  /** Another invocation holds a live lease on it: fail this one, a retry will see the outcome. */
  | { kind: "busy"; owner?: string };

export interface DeliveryLedger {
  claim(key: LedgerKey, owner: string, leaseUntilMs: number): Promise<ClaimResult>;
  acknowledge(key: LedgerKey, owner: string, action: string): Promise<void>;
  release(key: LedgerKey, owner: string, error: string): Promise<void>;
}

/** The partition key: one alert occurrence. The sort key is the destination name. */
export function ledgerPartitionKey(key: Omit<LedgerKey, "destination">): string {
  return `${key.fingerprint}#${key.status}#${key.occurrence}`;
}

/**
 * The occurrence of an alert: the notification that carried it (a retry carries the same
 * one, a repeat notification a new one) and the alert's own start or end. Undefined when
 * the event does not say which notification it is (a direct invocation): such alerts are
 * delivered without the ledger, never suppressed.
 */
export function occurrenceOf(alert: { status: string; startsAt?: string; endsAt?: string }, notificationId: string | undefined): string | undefined {
  if (!notificationId) return undefined;
  const at = alert.status === "resolved" ? alert.endsAt ?? alert.startsAt : alert.startsAt;
  return `${notificationId}@${at ?? "-"}`;
}

export interface DynamoDbLedgerOptions {
  client: DynamoDBClient;
  tableName: string;
  now?: () => number;
}

export function dynamoDbLedger(options: DynamoDbLedgerOptions): DeliveryLedger {
  const { client, tableName } = options;
  const now = options.now ?? Date.now;
  const itemKey = (key: LedgerKey) => ({ [LEDGER_PARTITION_KEY]: { S: ledgerPartitionKey(key) }, [LEDGER_SORT_KEY]: { S: key.destination } });
  const expiresAt = () => ({ N: String(Math.floor(now() / 1000) + LEDGER_RETENTION_SECONDS) });

  return {
    async claim(key, owner, leaseUntilMs) {
      try {
        await client.send(new PutItemCommand({
          TableName: tableName,
          Item: {
            ...itemKey(key),
            fingerprint: { S: key.fingerprint },
            state: { S: "in-flight" },
            owner: { S: owner },
            leaseUntil: { N: String(leaseUntilMs) },
            [LEDGER_TTL_ATTRIBUTE]: expiresAt(),
          },
          ConditionExpression: "attribute_not_exists(#pk) OR #state = :failed OR (#state = :inflight AND leaseUntil < :now)",
          ExpressionAttributeNames: { "#pk": LEDGER_PARTITION_KEY, "#state": "state" },
          ExpressionAttributeValues: { ":failed": { S: "failed" }, ":inflight": { S: "in-flight" }, ":now": { N: String(now()) } },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }));
        return { kind: "claimed" };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // DynamoDB returns the item that failed the condition; an implementation that does
        // not (older local emulators) is asked with a consistent read.
        const item = (error as { Item?: Record<string, AttributeValue> }).Item
          ?? (await client.send(new GetItemCommand({ TableName: tableName, Key: itemKey(key), ConsistentRead: true }))).Item;
        if (item?.state?.S === "delivered") return { kind: "acknowledged", action: item.action?.S };
        return { kind: "busy", owner: item?.owner?.S };
      }
    },

    async acknowledge(key, owner, action) {
      // Unconditional: whoever holds the item now, the destination has the alert.
      await client.send(new UpdateItemCommand({
        TableName: tableName,
        Key: itemKey(key),
        UpdateExpression: "SET #state = :delivered, #owner = :owner, #action = :action, deliveredAt = :at, #expiresAt = :expires REMOVE leaseUntil, lastError",
        ExpressionAttributeNames: { "#state": "state", "#owner": "owner", "#action": "action", "#expiresAt": LEDGER_TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ":delivered": { S: "delivered" }, ":owner": { S: owner }, ":action": { S: action }, ":at": { N: String(now()) }, ":expires": expiresAt(),
        },
      }));
    },

    async release(key, owner, error) {
      try {
        await client.send(new UpdateItemCommand({
          TableName: tableName,
          Key: itemKey(key),
          UpdateExpression: "SET #state = :failed, lastError = :error REMOVE leaseUntil",
          ConditionExpression: "#owner = :owner AND #state = :inflight",
          ExpressionAttributeNames: { "#state": "state", "#owner": "owner" },
          ExpressionAttributeValues: { ":failed": { S: "failed" }, ":inflight": { S: "in-flight" }, ":owner": { S: owner }, ":error": { S: error.slice(0, 500) } },
        }));
      } catch (caught) {
        if (!isConditionFailure(caught)) throw caught;
      }
    },
  };
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === "ConditionalCheckFailedException";
}
