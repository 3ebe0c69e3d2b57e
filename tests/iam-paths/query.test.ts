import { ENVIRONMENT_TAG } from "../../components/shared/naming";
/**
 * Grafana and Promxy -> AMP workspaces, Grafana -> each workload's CloudWatch read role,
 * simulated from the plan's documents. Which workspaces and roles are used is read from the
 * Grafana data sources and the Promxy config and service account that are deployed.
 */
import { expect } from "chai";
import { grafanaPath, hubWorkload, hubWorkloads, hubWorkspaces, promxyPath, workspaceArn } from "./paths";
import { ENVIRONMENTS, STRANGER_ACCOUNT, allowed, denied, modelOf } from "./expect";
import { hypotheticalRole, indexOf, roleArn, roleSession, service, webIdentity } from "./simulate";

const QUERY_ACTIONS = ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"];
/** Workspace actions a reader must not have. */
const NOT_FOR_READERS = [
  "aps:RemoteWrite", "aps:DeleteWorkspace", "aps:UpdateWorkspaceAlias", "aps:PutAlertManagerDefinition",
  "aps:PutResourcePolicy", "aps:PutAlertManagerSilences", "aps:CreateAlertManagerAlerts",
];

for (const environment of ENVIRONMENTS) {
  const model = modelOf(environment);

  describe(`IAM paths (${environment}): Grafana`, () => {
    it("Grafana's AMP data sources cover every hub workspace, each signed with the workspace role", async () => {
      const index = await indexOf(environment);
      expect([...grafanaPath(index).queriedWorkspaces].sort()).to.deep.equal(hubWorkspaces(index));
    });

    it("grafana.amazonaws.com assumes the workspace role for this account's Grafana workspace", async () => {
      const index = await indexOf(environment);
      const grafana = grafanaPath(index);
      await allowed(index, { caller: service("grafana.amazonaws.com", grafana.workspaceArn, index.hubAccountId), action: "sts:AssumeRole", resource: grafana.roleArn });
    });

    it("workspace role trust neighbours: a Grafana workspace of another account, another service, are denied", async () => {
      const index = await indexOf(environment);
      const grafana = grafanaPath(index);
      const foreign = `arn:aws:grafana:${index.region}:${STRANGER_ACCOUNT}:/workspaces/g-stranger`;
      await denied(index, { caller: service("grafana.amazonaws.com", foreign, STRANGER_ACCOUNT), action: "sts:AssumeRole", resource: grafana.roleArn });
      await denied(index, { caller: service("grafana.amazonaws.com", grafana.workspaceArn, STRANGER_ACCOUNT), action: "sts:AssumeRole", resource: grafana.roleArn });
      await denied(index, { caller: service("lambda.amazonaws.com", grafana.workspaceArn, index.hubAccountId), action: "sts:AssumeRole", resource: grafana.roleArn });
    });

    it("the workspace role queries every hub workspace (QueryMetrics, GetSeries, GetLabels, GetMetricMetadata)", async () => {
      const index = await indexOf(environment);
      const role = index.role(grafanaPath(index).roleArn);
      for (const workspace of hubWorkspaces(index)) {
        for (const action of QUERY_ACTIONS) await allowed(index, { caller: roleSession(role, "grafana"), action, resource: workspace });
      }
    });

    it("the workspace role may not write or administer any workspace", async () => {
      const index = await indexOf(environment);
      const role = index.role(grafanaPath(index).roleArn);
      for (const workspace of hubWorkspaces(index)) {
        for (const action of NOT_FOR_READERS) await denied(index, { caller: roleSession(role, "grafana"), action, resource: workspace }, "identity");
      }
    });

    it("the workspace role may not query a workspace of another account", async () => {
      const index = await indexOf(environment);
      const role = index.role(grafanaPath(index).roleArn);
      const elsewhere = [
        ...hubWorkloads(index).map((w) => workspaceArn(index.region, w.accountId, w.workspaceArn.split("/").pop()!)),
        workspaceArn(index.region, STRANGER_ACCOUNT, "ws-stranger"),
      ];
      for (const workspace of elsewhere) {
        for (const action of QUERY_ACTIONS) await denied(index, { caller: roleSession(role, "grafana"), action, resource: workspace }, "identity");
      }
    });

    // The role's query permission is scoped by the environment tag, so it keeps one size at
    // any number of accounts: a hub workspace of another environment, or untagged, is out.
    it("the workspace role may not query a hub-account workspace of another environment, or an untagged one", async () => {
      const index = await indexOf(environment);
      const role = index.role(grafanaPath(index).roleArn);
      const workspace = workspaceArn(index.region, index.hubAccountId, "ws-not-declared");
      const tagKey = `aws:ResourceTag/${ENVIRONMENT_TAG}`;
      for (const action of QUERY_ACTIONS) {
        await denied(index, { caller: roleSession(role, "grafana"), action, resource: workspace, context: { [tagKey]: `not-${environment}` } }, "identity");
        await denied(index, { caller: roleSession(role, "grafana"), action, resource: workspace, absent: [tagKey] }, "identity");
      }
    });

    for (const workload of model.workloads) {
      describe(`CloudWatch of ${workload.name}`, () => {
        it("the CloudWatch data source assumes the account's read role: Grafana's identity policy and the role's trust allow it", async () => {
          const index = await indexOf(environment);
          const grafana = grafanaPath(index);
          const hub = hubWorkload(index, workload.name);
          const target = roleArn(workload.accountId, hub.cloudWatchReadRoleName);
          expect(grafana.cloudWatchRoles, "assumeRoleArn of the CloudWatch data sources").to.include(target);
          const read = index.role(target);
          expect(read.stack, "the read role is declared by the workload stack").to.equal(`${environment}-${workload.name}`);
          const decision = await allowed(index, { caller: roleSession(index.role(grafana.roleArn), "grafana"), action: "sts:AssumeRole", resource: target });
          expect(decision.identity).to.equal("Allowed");
          expect(decision.resource).to.be.oneOf(["Allowed", "AllowedForAccount"]);
        });

        it("Grafana may not assume another role of that account, even one that would trust the hub", async () => {
          const index = await indexOf(environment);
          const grafana = index.role(grafanaPath(index).roleArn);
          const hub = hubWorkload(index, workload.name);
          const trustsHub = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${index.hubAccountId}:root` }, Action: "sts:AssumeRole" }] };
          const others = [roleArn(workload.accountId, hub.collectorRoleName), roleArn(workload.accountId, "observability-deploy"), roleArn(workload.accountId, "OrganizationAccountAccessRole")];
          for (const arn of others) {
            await denied(index, { caller: roleSession(grafana, "grafana"), action: "sts:AssumeRole", resource: arn, resourcePolicy: { name: `hypothetical trust of ${arn}`, policy: trustsHub } }, "identity");
          }
        });

        it("the read role's trust names only the Grafana role: other hub roles are refused", async () => {
          const index = await indexOf(environment);
          const hub = hubWorkload(index, workload.name);
          const target = roleArn(workload.accountId, hub.cloudWatchReadRoleName);
          const assumeAnything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] };
          const callers = [hub.ingestRoleArn, roleArn(index.hubAccountId, "observability-deploy"), roleArn(STRANGER_ACCOUNT, index.role(grafanaPath(index).roleArn).name)];
          for (const arn of callers) {
            await denied(index, { caller: roleSession(hypotheticalRole(arn, [assumeAnything]), "grafana"), action: "sts:AssumeRole", resource: target }, "resource");
          }
        });
      });
    }
  });

  describe(`IAM paths (${environment}): Promxy`, () => {
    if (!model.unifiedQuery) {
      it("runs no Promxy (no unifiedQuery in the organisation model), so the plan has none", async () => {
        expect(promxyPath(await indexOf(environment))).to.equal(undefined);
      });
      return;
    }

    it("Promxy's server groups cover every hub workspace", async () => {
      const index = await indexOf(environment);
      expect([...promxyPath(index)!.queriedWorkspaces].sort()).to.deep.equal(hubWorkspaces(index));
    });

    it("IRSA: Promxy's service account assumes the Promxy role; another service account of the cluster is denied", async () => {
      const index = await indexOf(environment);
      const promxy = promxyPath(index)!;
      const request = { action: "sts:AssumeRoleWithWebIdentity", resource: promxy.roleArn };
      await allowed(index, { ...request, caller: webIdentity(promxy.oidcProviderArn, `system:serviceaccount:${promxy.namespace}:${promxy.serviceAccount}`) });
      await denied(index, { ...request, caller: webIdentity(promxy.oidcProviderArn, "system:serviceaccount:kube-system:aws-load-balancer-controller") });
      await denied(index, { ...request, caller: webIdentity(promxy.oidcProviderArn, `system:serviceaccount:${promxy.namespace}:default`) });
      await denied(index, { ...request, caller: webIdentity(promxy.oidcProviderArn, `system:serviceaccount:${promxy.namespace}:${promxy.serviceAccount}`, "sts.example.com") });
    });

    it("the Promxy role queries every workspace it serves", async () => {
      const index = await indexOf(environment);
      const promxy = promxyPath(index)!;
      for (const workspace of promxy.queriedWorkspaces) {
        for (const action of QUERY_ACTIONS) await allowed(index, { caller: roleSession(index.role(promxy.roleArn), "promxy"), action, resource: workspace });
      }
    });

    it("the Promxy role may not write or administer any workspace, nor query another account's", async () => {
      const index = await indexOf(environment);
      const promxy = promxyPath(index)!;
      const role = index.role(promxy.roleArn);
      for (const workspace of hubWorkspaces(index)) {
        for (const action of NOT_FOR_READERS) await denied(index, { caller: roleSession(role, "promxy"), action, resource: workspace }, "identity");
      }
      await denied(index, { caller: roleSession(role, "promxy"), action: "aps:QueryMetrics", resource: workspaceArn(index.region, STRANGER_ACCOUNT, "ws-stranger") }, "identity");
    });
  });
}
