/**
 * Workspaces encrypted with a customer managed key (`amp.customerManagedKey`): AMP uses the
 * key with the credentials of whoever writes or queries, through aps. Every such principal
 * needs kms:Decrypt and kms:GenerateDataKey on the key, granted by the key policy and by its
 * own identity policy, and only when the call comes through aps.
 */
import { expect } from "chai";
import { grafanaPath, hubWorkloads, promxyPath } from "./paths";
import { ENVIRONMENTS, denied, modelOf } from "./expect";
import { PlanIndex, decide, indexOf, roleSession } from "./simulate";

const KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

/** CMK workspace ARN -> key ARN. */
function encryptedWorkspaces(index: PlanIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const resource of index.resources.values()) {
    if (resource.type === "aws:amp/workspace:Workspace" && resource.record.inputs.kmsKeyArn) out.set(resource.arn, String(resource.record.inputs.kmsKeyArn));
  }
  return out;
}

interface KeyUser {
  label: string;
  roleArn: (index: PlanIndex) => string;
  workspaces: (index: PlanIndex) => string[];
}

function keyUsersOf(environment: string): KeyUser[] {
  const model = modelOf(environment);
  return [
    ...model.workloads.map((w) => ({
      label: `ingest role of ${w.name} (writes)`,
      roleArn: (index: PlanIndex) => hubWorkloads(index).find((h) => h.accountName === w.name)!.ingestRoleArn,
      workspaces: (index: PlanIndex) => [hubWorkloads(index).find((h) => h.accountName === w.name)!.workspaceArn],
    })),
    { label: "Grafana workspace role (queries)", roleArn: (index) => grafanaPath(index).roleArn, workspaces: (index) => grafanaPath(index).queriedWorkspaces },
    ...(model.unifiedQuery
      ? [{ label: "Promxy role (queries)", roleArn: (index: PlanIndex) => promxyPath(index)!.roleArn, workspaces: (index: PlanIndex) => promxyPath(index)!.queriedWorkspaces }]
      : []),
  ];
}

for (const environment of ENVIRONMENTS) {
  const model = modelOf(environment);

  describe(`IAM paths (${environment}): customer managed key of the workspaces`, () => {
    if (!model.hub.amp?.customerManagedKey) {
      it("no customer managed key in the organisation model, and no workspace is encrypted with one", async () => {
        expect([...encryptedWorkspaces(await indexOf(environment)).keys()]).to.deep.equal([]);
      });
      return;
    }

    it("every workspace is encrypted with a key the hub declares", async () => {
      const index = await indexOf(environment);
      const encrypted = encryptedWorkspaces(index);
      const workspaces = [...index.resources.values()].filter((r) => r.type === "aws:amp/workspace:Workspace");
      expect(encrypted.size).to.equal(workspaces.length);
      for (const key of encrypted.values()) expect(index.resource(key).type).to.equal("aws:kms/key:Key");
    });

    for (const user of keyUsersOf(environment)) {
      it(`${user.label}: kms:Decrypt and kms:GenerateDataKey through aps, allowed by the key policy and its identity policy`, async () => {
        const index = await indexOf(environment);
        const role = index.role(user.roleArn(index));
        const keys = new Set(user.workspaces(index).map((w) => encryptedWorkspaces(index).get(w)).filter((k): k is string => !!k));
        expect(keys.size, "the principal uses encrypted workspaces").to.be.greaterThan(0);
        const failures: string[] = [];
        for (const key of keys) {
          for (const action of KEY_ACTIONS) {
            const decision = await decide(index, {
              caller: roleSession(role, "aps"), action, resource: key,
              context: { "kms:ViaService": `aps.${index.region}.amazonaws.com`, "kms:CallerAccount": index.hubAccountId, "aws:ViaAWSService": "true" },
            });
            if (decision.identity !== "Allowed") failures.push(`${action} on ${key}: the identity policies of ${role.name} do not allow it`);
            if (!["Allowed", "AllowedForAccount"].includes(String(decision.resource))) failures.push(`${action} on ${key}: the key policy does not allow it`);
            if (decision.result !== "Allowed") failures.push(`${action} on ${key}: ${decision.result} [${decision.explain}]`);
          }
        }
        expect(failures.length, failures.join("\n")).to.equal(0);
      });

      it(`${user.label}: the same key use not through aps is refused by the key policy; another key is refused`, async () => {
        const index = await indexOf(environment);
        const role = index.role(user.roleArn(index));
        const keys = new Set(user.workspaces(index).map((w) => encryptedWorkspaces(index).get(w)).filter((k): k is string => !!k));
        for (const key of keys) {
          for (const action of KEY_ACTIONS) {
            await denied(index, { caller: roleSession(role, "direct"), action, resource: key, context: { "aws:ViaAWSService": "false" } }, "resource");
            await denied(index, {
              caller: roleSession(role, "other-service"), action, resource: key,
              context: { "kms:ViaService": `secretsmanager.${index.region}.amazonaws.com`, "aws:ViaAWSService": "true" },
            }, "resource");
          }
        }
        // Nor another key of the hub, through aps or not.
        const otherKeys = [...index.resources.values()].filter((r) => r.type === "aws:kms/key:Key" && !keys.has(r.arn)).map((r) => r.arn);
        for (const key of otherKeys) {
          for (const action of KEY_ACTIONS) {
            await denied(index, {
              caller: roleSession(role, "aps"), action, resource: key,
              context: { "kms:ViaService": `aps.${index.region}.amazonaws.com`, "aws:ViaAWSService": "true" },
            }, "identity");
          }
        }
      });
    }
  });
}

