/**
 * A real local DynamoDB implementation (dynalite, in memory) on 127.0.0.1, and the real AWS
 * SDK client pointed at it: the delivery ledger's tests and benchmark run against it.
 */
import { AddressInfo } from "net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LEDGER_PARTITION_KEY, LEDGER_SORT_KEY } from "../../components/alert-pipeline/notifier/ledger-schema";

// Also loaded by the benchmark, outside the test process: the same quiet SDK (tests/support/test-process.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// dynalite has no type declarations.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const dynalite: (options: Record<string, unknown>) => import("http").Server = require("dynalite");

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 5,
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The table as the hub declares it: partition key pk, sort key destination, both strings. */
export async function createLedgerTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: LEDGER_PARTITION_KEY, AttributeType: "S" }, { AttributeName: LEDGER_SORT_KEY, AttributeType: "S" }],
    KeySchema: [{ AttributeName: LEDGER_PARTITION_KEY, KeyType: "HASH" }, { AttributeName: LEDGER_SORT_KEY, KeyType: "RANGE" }],
  }));
}

