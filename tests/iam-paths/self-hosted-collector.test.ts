/**
 * Collector -> its ingest token in the self-hosted hub (the `selfhosted` environment), simulated
 * from the plan's own documents: the IRSA trust and identity policy of the collector role
 * (workload account), the ingest secret's resource policy (the account's hub stack) and the hub
 * key's policy (the shared hub stack: one statement for the organisation's collectors). Which
 * role, secret and key are read from what is deployed: the service account annotation and the
 * init container's environment in the Helm values, the secret's key.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { HUB_INGEST_TOKEN_FILE } from "../../components/workload-collector/hub-credentials";
import { doc, ofType } from "../support/plans";
import { STRANGER_ACCOUNT, STRANGER_ORG, allowed, denied } from "./expect";
import { hypotheticalRole, indexOf, PlanIndex, roleArn, roleSession, webIdentity } from "./simulate";

const ENVIRONMENT = "selfhosted";

interface TokenPath {
  accountName: string;
  accountId: string;
  oidcProviderArn: string;
  namespace: string;
  serviceAccount: string;
  collectorRoleArn: string;
  /** INGEST_SECRET_ARN of the init container. */
  secretArn: string;
  /** The key the hub encrypts that secret with. */
  keyArn: string;
  /** remote_write URLs and credentials files of the rendered prometheus.yml. */
  remoteWrite: Array<{ url: string; credentialsFile?: string }>;
}

interface SelfHostedRecord { accountName: string; accountId: string; ingestSecretArn: string; remoteWriteUrls: string[]; clusters: Array<{ oidcProviderArn: string }> }

/** Each account's record, from its own hub stack (`<env>-hub-<account>`). */
function hubRecords(index: PlanIndex): SelfHostedRecord[] {
  return index.plan.stacks.filter((stack) => stack.stack.startsWith(`${ENVIRONMENT}-hub-`))
    .flatMap((stack) => Object.values(stack.outputs.workloads as Record<string, SelfHostedRecord>));
}

function tokenPaths(index: PlanIndex): TokenPath[] {
  return index.workloads.map((stack) => {
    const record = hubRecords(index).find((r) => r.accountName === stack.outputs.accountName)!;
    const [release, ...more] = ofType(stack, "kubernetes:helm.sh/v3:Release").filter((r) => r.inputs.chart === "prometheus");
    if (!release || more.length) throw new Error(`${stack.stack}: expected one prometheus release`);
    const values = release.inputs.values as any;
    const init = (values.server.extraInitContainers as any[]).find((c) => c.name === "fetch-hub-ingest-token");
    if (!init) throw new Error(`${stack.stack}: no credentials step in the collector pod`);
    const secretArn = String(init.env.find((e: { name: string }) => e.name === "INGEST_SECRET_ARN").value);
    const configMap = ofType(stack, "kubernetes:core/v1:ConfigMap").find((r) => (r.inputs.data as any)?.["prometheus.yml"])!;
    const config = parse((configMap.inputs.data as any)["prometheus.yml"]);
    return {
      accountName: record.accountName,
      accountId: record.accountId,
      oidcProviderArn: record.clusters[0].oidcProviderArn,
      namespace: String(release.inputs.namespace),
      serviceAccount: String(values.serviceAccounts.server.name),
      collectorRoleArn: String(values.serviceAccounts.server.annotations["eks.amazonaws.com/role-arn"]),
      secretArn,
      keyArn: String(index.resource(secretArn).record.inputs.kmsKeyId),
      remoteWrite: config.remote_write.map((s: any) => ({ url: s.url, credentialsFile: s.authorization?.credentials_file })),
    };
  });
}

/** What Secrets Manager sends KMS when it decrypts a secret: its service and the secret's ARN. */
const VIA_SECRETS_MANAGER = (index: PlanIndex, secretArn: string) => ({ "kms:ViaService": `secretsmanager.${index.region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": secretArn });

describe(`IAM paths (${ENVIRONMENT}): collector -> its ingest token in the self-hosted hub`, () => {
  for (const account of ["payments", "search"]) {
    describe(account, () => {
      const pathOf = async () => {
        const index = await indexOf(ENVIRONMENT);
        const path = tokenPaths(index).find((p) => p.accountName === account);
        if (!path) throw new Error(`the ${ENVIRONMENT} plan deploys no collector for ${account}`);
        return { index, path };
      };

      it("the collector pod reads its own account's secret and writes to every hub server with the token file", async () => {
        const { index, path } = await pathOf();
        const record = hubRecords(index).find((r) => r.accountName === account)!;
        expect(path.secretArn).to.equal(record.ingestSecretArn);
        expect(index.resource(path.secretArn).tags["observability:account"]).to.equal(account);
        expect(path.remoteWrite).to.deep.equal(record.remoteWriteUrls.map((url) => ({ url, credentialsFile: HUB_INGEST_TOKEN_FILE })));
        expect(path.collectorRoleArn).to.equal(roleArn(path.accountId, `amp-collector-${ENVIRONMENT}-${account}`));
      });

      it("IRSA: the collector's service account assumes the collector role; another service account does not", async () => {
        const { index, path } = await pathOf();
        const request = { action: "sts:AssumeRoleWithWebIdentity", resource: path.collectorRoleArn };
        await allowed(index, { ...request, caller: webIdentity(path.oidcProviderArn, `system:serviceaccount:${path.namespace}:${path.serviceAccount}`) });
        await denied(index, { ...request, caller: webIdentity(path.oidcProviderArn, "system:serviceaccount:default:default") });
      });

      it("the collector role reads its ingest secret across accounts (its identity policy and the secret's policy both allow)", async () => {
        const { index, path } = await pathOf();
        const decision = await allowed(index, { caller: roleSession(index.role(path.collectorRoleArn), "fetch-hub-ingest-token"), action: "secretsmanager:GetSecretValue", resource: path.secretArn });
        expect(decision.identity, "the collector's identity policy").to.equal("Allowed");
        expect(decision.resource, "the secret's resource policy").to.be.oneOf(["Allowed", "AllowedForAccount"]);
      });

      it("and decrypts it with the hub key through Secrets Manager only (its identity policy and the key policy both allow)", async () => {
        const { index, path } = await pathOf();
        const caller = roleSession(index.role(path.collectorRoleArn), "fetch-hub-ingest-token");
        const context = { ...VIA_SECRETS_MANAGER(index, path.secretArn), "kms:CallerAccount": path.accountId };
        const decision = await allowed(index, { caller, action: "kms:Decrypt", resource: path.keyArn, context });
        expect(decision.identity).to.equal("Allowed");
        // The key policy's half rests on the encryption context (the secret's ARN under the ingest prefix),
        // which only the full simulation judges: its result above; the refusals below are the key policy's alone.
        // Straight to KMS (not through Secrets Manager) both sides refuse; the key refuses a secret outside the ingest prefix.
        await denied(index, { caller, action: "kms:Decrypt", resource: path.keyArn, context: { "kms:CallerAccount": path.accountId }, absent: ["kms:ViaService", "kms:EncryptionContext:SecretARN"] }, "identity", "resource");
        const queryToken = path.secretArn.replace(/ingest\/[^/]+$/, "query-token-known-at-deploy");
        await denied(index, { caller, action: "kms:Decrypt", resource: path.keyArn, context: { ...VIA_SECRETS_MANAGER(index, queryToken), "kms:CallerAccount": path.accountId } }, "resource");
      });

      it("the collector role may not read another account's ingest secret", async () => {
        const { index, path } = await pathOf();
        const others = tokenPaths(index).filter((p) => p.accountId !== path.accountId);
        expect(others.length).to.be.greaterThan(0);
        for (const other of others) {
          await denied(index, { caller: roleSession(index.role(path.collectorRoleArn)), action: "secretsmanager:GetSecretValue", resource: other.secretArn }, "identity", "resource");
        }
      });

      it("neighbours with the very same identity policy are refused by the secret's policy (another role of the account, another account's collector, this name in a stranger account) and by the key's (all but the other collector)", async () => {
        const { index, path } = await pathOf();
        const collector = index.role(path.collectorRoleArn);
        const other = tokenPaths(index).find((p) => p.accountId !== path.accountId)!;
        const impostors = [
          roleArn(path.accountId, "some-workload-app"),
          other.collectorRoleArn,
          roleArn(STRANGER_ACCOUNT, collector.name),
        ].map((arn) => hypotheticalRole(arn, collector.policies.map((p) => p.policy)));
        // The stranger account is outside the organisation.
        const session = (impostor: ReturnType<typeof hypotheticalRole>) => roleSession(impostor, "simulated-session", impostor.accountId === STRANGER_ACCOUNT ? STRANGER_ORG : undefined);
        for (const impostor of impostors) {
          await denied(index, { caller: session(impostor), action: "secretsmanager:GetSecretValue", resource: path.secretArn }, "resource");
          // One key serves every account's secret, so every collector of the organisation may use it through
          // Secrets Manager: which secret it decrypts is the secret's policy's decision (above).
          if (impostor.arn === other.collectorRoleArn) continue;
          await denied(index, { caller: session(impostor), action: "kms:Decrypt", resource: path.keyArn, context: { ...VIA_SECRETS_MANAGER(index, path.secretArn), "kms:CallerAccount": impostor.accountId } }, "resource");
        }
      });

      it("the collector role has no other permission: exactly its secret and the key", async () => {
        const { index, path } = await pathOf();
        const statements = index.role(path.collectorRoleArn).policies.flatMap((p) => doc(p.policy).Statement);
        expect(statements.map((s: any) => [s.Action, s.Resource])).to.deep.equal([
          ["secretsmanager:GetSecretValue", path.secretArn],
          ["kms:Decrypt", path.keyArn],
        ]);
      });
    });
  }
});
