/**
 * The delivery ledger table's shape, shared by the notifier (ledger.ts), the hub component
 * that creates the table, and the tests that create it in a local DynamoDB. No imports:
 * the Pulumi program reads it without loading the AWS SDK.
 */

/** Partition key: `<fingerprint>#<status>#<occurrence>`, one alert notification. */
export const LEDGER_PARTITION_KEY = "pk";
/** Sort key: the destination's name. */
export const LEDGER_SORT_KEY = "destination";
/** Epoch seconds after which DynamoDB's TTL removes the item. */
export const LEDGER_TTL_ATTRIBUTE = "expiresAt";

/**
 * Items outlive every retry path: Lambda's retries (6 h event age), EventBridge's and SNS's
 * redelivery, and the 14 days a message may wait in the DLQ before someone replays it.
 */
export const LEDGER_RETENTION_SECONDS = 15 * 24 * 3600;
