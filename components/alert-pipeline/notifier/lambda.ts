/**
 * Lambda entry (NOTIFIER_RUNTIME, hub/lambda-settings.ts). Configuration comes from NOTIFIER_CONFIG (non-secret JSON),
 * credentials from Secrets Manager (Powertools Parameters, cached per container for 15 minutes), acknowledged
 * deliveries in the DynamoDB ledger named by DELIVERY_LEDGER_TABLE. A result that
 * is not fully delivered throws, so Lambda retries the event and finally hands it to the
 * on-failure destination / dead-letter queue.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { parseNotifierConfig } from "./config";
import { DeliveryLedger, dynamoDbLedger } from "./ledger";
import { parseLogLevel, powertoolsLogger } from "./logger";
import { HandleResult, Notifier, createNotifier } from "./notifier";
import { DEFAULT_RETRY_POLICY } from "./retry";
import { CachedSecretSource } from "./secrets";
import { secretsManagerSecretSource } from "./secrets-manager";

/** The part of Lambda's context object the notifier uses. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
  awsRequestId?: string;
}

export interface HandlerResponse {
  delivered: number;
  ignored: number;
}

/** Time kept back from the Lambda timeout to log and fail cleanly instead of being killed. */
const SAFETY_MARGIN_MS = 3_000;

export class NotificationFailedError extends Error {
  constructor(readonly result: HandleResult) {
    const undelivered = result.failed > 0 ? `${result.failed} of ${result.alerts.length} alerts not delivered everywhere` : "";
    const malformed = result.malformed.length > 0 ? `${result.malformed.length} malformed input(s)` : "";
    super(`${[undelivered, malformed].filter(Boolean).join(", ")}; failing the invocation so it is retried, then dead-lettered`);
    this.name = "NotificationFailedError";
  }
}

let secrets: CachedSecretSource | undefined;
let notifier: Notifier | undefined;

function notifierForContainer(): Notifier {
  if (notifier) return notifier;
  const config = parseNotifierConfig(process.env.NOTIFIER_CONFIG);
  secrets ??= secretsManagerSecretSource();
  // DELIVERY_LEDGER_TABLE: the DynamoDB table of acknowledged deliveries (see ledger.ts).
  const tableName = process.env.DELIVERY_LEDGER_TABLE;
  const ledger: DeliveryLedger | undefined = tableName ? dynamoDbLedger({ client: new DynamoDBClient({}), tableName }) : undefined;
  notifier = createNotifier({ config, secrets, ledger, logger: powertoolsLogger({ level: parseLogLevel(process.env.LOG_LEVEL) }) });
  return notifier;
}

/** Logs through Powertools' Logger (see logger.ts): LOG_LEVEL, or AWS_LAMBDA_LOG_LEVEL when Lambda sets it. */
export async function handler(event: unknown, context?: LambdaContextLike): Promise<HandlerResponse> {
  const remaining = context?.getRemainingTimeInMillis?.();
  const budgetMs = remaining === undefined ? undefined : Math.max(1_000, Math.min(DEFAULT_RETRY_POLICY.budgetMs, remaining - SAFETY_MARGIN_MS));
  const result = await notifierForContainer().handle(event, { budgetMs });
  if (!result.ok) throw new NotificationFailedError(result);
  return { delivered: result.delivered, ignored: result.ignored.length };
}
