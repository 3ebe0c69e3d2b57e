/**
 * Log groups encrypted with a customer managed key: the notifier's in every environment, and
 * the self-hosted hub's task log groups. CloudWatch Logs uses the key itself, as its service
 * principal, naming the log group in the encryption context (`kms:EncryptionContext:aws:logs:arn`):
 * the key policy must admit exactly the log groups that use the key.
 */
import { expect } from "chai";
import { logGroupArn } from "../../components/shared/arns";
import { notifierFunctionName } from "../../components/alert-pipeline/hub/names";
import { ENVIRONMENTS, allowed, denied, STRANGER_ACCOUNT } from "./expect";
import { indexOf, PlanIndex, service } from "./simulate";

const LOGS_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"];

interface EncryptedLogGroup { name: string; arn: string; keyArn: string }

function encryptedLogGroups(index: PlanIndex): EncryptedLogGroup[] {
  return index.hub.resources
    .filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.inputs.kmsKeyId)
    .map((r) => ({ name: String(r.inputs.name), arn: logGroupArn(index.region, index.hubAccountId, String(r.inputs.name)), keyArn: String(r.inputs.kmsKeyId) }));
}

const logsContext = (logGroup: string) => ({ "kms:EncryptionContext:aws:logs:arn": logGroup });

const EXPECTED: Record<string, (environment: string) => string[]> = {
  dev: (env) => [`/aws/lambda/${notifierFunctionName(env)}`],
  prod: (env) => [`/aws/lambda/${notifierFunctionName(env)}`],
  selfhosted: (env) => [
    `/aws/lambda/${notifierFunctionName(env)}`,
    ...["prometheus-a", "alertmanager", "grafana", "cloudwatch-exporter"].map((task) => `/observability/${env}/self-hosted/${task}`),
  ],
};

for (const environment of [...ENVIRONMENTS, "selfhosted"]) {
  describe(`IAM paths (${environment}): CloudWatch Logs uses the keys of the encrypted log groups`, () => {
    it("the notifier's log group (and a self-hosted hub's task log groups) are encrypted with a key the hub declares", async () => {
      const index = await indexOf(environment);
      const groups = encryptedLogGroups(index);
      expect(groups.map((g) => g.name)).to.have.members(EXPECTED[environment](environment));
      for (const group of groups) expect(index.resource(group.keyArn).type, group.name).to.equal("aws:kms/key:Key");
    });

    it("Logs may encrypt and decrypt for each of them, naming it in the encryption context", async () => {
      const index = await indexOf(environment);
      for (const group of encryptedLogGroups(index)) {
        for (const action of LOGS_ACTIONS) {
          // Logs calls KMS itself, not through another service, about a log group, not a secret.
          await allowed(index, { caller: service(`logs.${index.region}.amazonaws.com`), action, resource: group.keyArn, context: logsContext(group.arn), absent: ["kms:ViaService", "kms:EncryptionContext:SecretARN"] });
        }
      }
    });

    it("refuses Logs for another log group of the hub account, the same name in another account, another region's Logs, and no context", async () => {
      const index = await indexOf(environment);
      for (const group of encryptedLogGroups(index)) {
        const request = { caller: service(`logs.${index.region}.amazonaws.com`), action: "kms:GenerateDataKey", resource: group.keyArn };
        await denied(index, { ...request, context: logsContext(logGroupArn(index.region, index.hubAccountId, `${group.name}-other`)) }, "resource");
        await denied(index, { ...request, context: logsContext(logGroupArn(index.region, STRANGER_ACCOUNT, group.name)) }, "resource");
        await denied(index, { ...request, caller: service("logs.us-east-1.amazonaws.com"), context: logsContext(group.arn) }, "resource");
        await denied(index, { ...request, absent: ["kms:EncryptionContext:aws:logs:arn"] }, "resource");
      }
    });
  });
}
