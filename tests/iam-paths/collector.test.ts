/**
 * Collector -> hub ingest role -> AMP workspace, simulated hop by hop from the plan's own
 * documents: IRSA trust (workload), the collector's identity policy (workload), the ingest
 * role's trust and identity policy (hub), the aps-workspaces VPC endpoint policy (workload).
 * Which role, which workspace and which service account are read from what is deployed:
 * the rendered prometheus.yml, the Helm values, the managed scraper's configuration.
 */
import { expect } from "chai";
import { CollectorPath, ScraperPath, collectorPaths, hubWorkload, hubWorkloads, scraperPaths } from "./paths";
import { ENVIRONMENTS, STRANGER_ACCOUNT, allowed, denied, modelOf, otherThan } from "./expect";
import { hypotheticalRole, indexOf, roleArn, roleSession, service, webIdentity } from "./simulate";

const REMOTE_WRITE_ANYWHERE = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "aps:RemoteWrite", Resource: "*" }] };

for (const environment of ENVIRONMENTS) {
  const model = modelOf(environment);

  describe(`IAM paths (${environment}): collector -> ingest role -> workspace`, () => {
    const pathOf = async (account: string, cluster: string): Promise<CollectorPath> => {
      const found = collectorPaths(await indexOf(environment)).find((p) => p.accountName === account && p.cluster === cluster);
      if (!found) throw new Error(`the ${environment} plan deploys no Prometheus collector for ${account}/${cluster}`);
      return found;
    };

    for (const workload of model.workloads.filter((w) => (w.collector?.mode ?? "prometheus") === "prometheus")) {
      for (const cluster of workload.clusters) {
        const at = `${workload.name}/${cluster.name}`;

        describe(at, () => {
          it("the collector is wired to its own account's ingest role and workspace", async () => {
            const index = await indexOf(environment);
            const path = await pathOf(workload.name, cluster.name);
            const hub = hubWorkload(index, workload.name);
            expect(path.ingestRoleArn, "prometheus.yml sigv4.role_arn").to.equal(hub.ingestRoleArn);
            expect(path.workspaceArn, "prometheus.yml remote_write url").to.equal(hub.workspaceArn);
            expect(path.collectorRoleArn, "service account annotation").to.equal(roleArn(workload.accountId, hub.collectorRoleName));
          });

          it("IRSA: the collector's service account assumes the collector role (sub and aud pinned)", async () => {
            const index = await indexOf(environment);
            const path = await pathOf(workload.name, cluster.name);
            await allowed(index, {
              caller: webIdentity(path.oidcProviderArn, `system:serviceaccount:${path.namespace}:${path.serviceAccount}`),
              action: "sts:AssumeRoleWithWebIdentity",
              resource: path.collectorRoleArn,
            });
          });

          it("IRSA neighbours: another service account, another audience, another cluster's issuer are denied", async () => {
            const index = await indexOf(environment);
            const path = await pathOf(workload.name, cluster.name);
            const sub = `system:serviceaccount:${path.namespace}:${path.serviceAccount}`;
            const request = { action: "sts:AssumeRoleWithWebIdentity", resource: path.collectorRoleArn };
            await denied(index, { ...request, caller: webIdentity(path.oidcProviderArn, "system:serviceaccount:default:default") });
            await denied(index, { ...request, caller: webIdentity(path.oidcProviderArn, `system:serviceaccount:${path.namespace}:other`) });
            await denied(index, { ...request, caller: webIdentity(path.oidcProviderArn, sub, "sts.example.com") });
            const others = collectorPaths(index).filter((p) => p.accountId !== path.accountId);
            const foreignIssuers = [...new Set([...others.map((p) => p.oidcProviderArn),
              `arn:aws:iam::${STRANGER_ACCOUNT}:oidc-provider/oidc.eks.${index.region}.amazonaws.com/id/0000000000000000000000000000STRANGER`])];
            for (const issuer of foreignIssuers) await denied(index, { ...request, caller: webIdentity(issuer, sub) });
          });

          it("the collector role session assumes its hub ingest role (identity policy and cross-account trust)", async () => {
            const index = await indexOf(environment);
            const path = await pathOf(workload.name, cluster.name);
            const decision = await allowed(index, { caller: roleSession(index.role(path.collectorRoleArn), "prometheus"), action: "sts:AssumeRole", resource: path.ingestRoleArn });
            expect(decision.identity, "the collector's identity policy").to.equal("Allowed");
            expect(decision.resource, "the ingest role's trust policy").to.be.oneOf(["Allowed", "AllowedForAccount"]);
          });

          it("ingest trust neighbours: another collector name in this account, this name in another account, are denied", async () => {
            const index = await indexOf(environment);
            const path = await pathOf(workload.name, cluster.name);
            const collector = index.role(path.collectorRoleArn);
            const other = otherThan(hubWorkloads(index), path.accountId);
            // Worst case: the impostor carries the very same identity policy as the real collector.
            const impostors = [
              roleArn(path.accountId, other.collectorRoleName),
              roleArn(path.accountId, "some-workload-app"),
              roleArn(other.accountId, collector.name),
              roleArn(STRANGER_ACCOUNT, collector.name),
            ].map((arn) => hypotheticalRole(arn, collector.policies.map((p) => p.policy)));
            for (const impostor of impostors) {
              await denied(index, { caller: roleSession(impostor, "prometheus"), action: "sts:AssumeRole", resource: path.ingestRoleArn }, "resource");
            }
          });

          it("the collector may not assume another account's ingest role", async () => {
            const index = await indexOf(environment);
            const path = await pathOf(workload.name, cluster.name);
            for (const other of hubWorkloads(index).filter((w) => w.accountId !== path.accountId)) {
              await denied(index, { caller: roleSession(index.role(path.collectorRoleArn), "prometheus"), action: "sts:AssumeRole", resource: other.ingestRoleArn }, "identity", "resource");
            }
          });

          it(`the ingest role session remote-writes into its own workspace${cluster.vpcEndpoint ? " through the cluster's aps-workspaces VPC endpoint" : ""}`, async () => {
            const index = await indexOf(environment);
            const path = await pathOf(workload.name, cluster.name);
            const decision = await allowed(index, {
              caller: roleSession(index.role(path.ingestRoleArn), "prometheus"),
              action: "aps:RemoteWrite",
              resource: path.workspaceArn,
              vpcEndpoint: path.vpcEndpoint,
            });
            if (path.vpcEndpoint) expect(decision.endpoint, "the VPC endpoint policy").to.equal("Allowed");
          });

          it("the ingest role may not remote-write into another account's workspace", async () => {
            const index = await indexOf(environment);
            const path = await pathOf(workload.name, cluster.name);
            for (const other of hubWorkloads(index).filter((w) => w.accountId !== path.accountId)) {
              await denied(index, { caller: roleSession(index.role(path.ingestRoleArn), "prometheus"), action: "aps:RemoteWrite", resource: other.workspaceArn, vpcEndpoint: path.vpcEndpoint }, "identity");
            }
          });

          if (cluster.vpcEndpoint) {
            it("VPC endpoint neighbours: another role of the workload account, another account's ingest role, are refused by the endpoint policy", async () => {
              const index = await indexOf(environment);
              const path = await pathOf(workload.name, cluster.name);
              const local = hypotheticalRole(roleArn(path.accountId, "some-workload-app"), [REMOTE_WRITE_ANYWHERE]);
              await denied(index, { caller: roleSession(local), action: "aps:RemoteWrite", resource: path.workspaceArn, vpcEndpoint: path.vpcEndpoint }, "endpoint");
              await denied(index, { caller: roleSession(index.role(path.collectorRoleArn), "prometheus"), action: "aps:RemoteWrite", resource: path.workspaceArn, vpcEndpoint: path.vpcEndpoint, identityPolicies: [{ name: "hypothetical: remote write anywhere", policy: REMOTE_WRITE_ANYWHERE }] }, "endpoint");
              for (const other of hubWorkloads(index).filter((w) => w.accountId !== path.accountId)) {
                await denied(index, { caller: roleSession(index.role(other.ingestRoleArn), "prometheus"), action: "aps:RemoteWrite", resource: other.workspaceArn, vpcEndpoint: path.vpcEndpoint }, "endpoint");
              }
            });
          }
        });
      }
    }

    for (const workload of model.workloads.filter((w) => w.collector?.mode === "managed-scraper")) {
      describe(`${workload.name} (managed scraper)`, () => {
        const scraperOf = async (): Promise<ScraperPath> => {
          const found = scraperPaths(await indexOf(environment)).filter((p) => p.accountName === workload.name);
          if (found.length !== workload.clusters.length) throw new Error(`${workload.name}: ${workload.clusters.length} clusters but ${found.length} scrapers`);
          return found[0];
        };

        it("the scraper is wired to its own account's collector role, ingest role and workspace", async () => {
          const index = await indexOf(environment);
          const path = await scraperOf();
          const hub = hubWorkload(index, workload.name);
          expect(path.sourceRoleArn).to.equal(roleArn(workload.accountId, hub.collectorRoleName));
          expect(path.targetRoleArn).to.equal(hub.ingestRoleArn);
          expect(path.workspaceArn).to.equal(hub.workspaceArn);
        });

        it("scraper.aps.amazonaws.com assumes the collector (source) role for a scraper of this account", async () => {
          const index = await indexOf(environment);
          const path = await scraperOf();
          await allowed(index, { caller: service("scraper.aps.amazonaws.com", path.scraperArn, path.accountId), action: "sts:AssumeRole", resource: path.sourceRoleArn });
        });

        it("scraper neighbours: a scraper of another account, or no source at all, is denied", async () => {
          const index = await indexOf(environment);
          const path = await scraperOf();
          const foreignScraper = `arn:aws:aps:${index.region}:${STRANGER_ACCOUNT}:scraper/s-stranger`;
          await denied(index, { caller: service("scraper.aps.amazonaws.com", foreignScraper, STRANGER_ACCOUNT), action: "sts:AssumeRole", resource: path.sourceRoleArn });
          await denied(index, { caller: service("scraper.aps.amazonaws.com", path.scraperArn, STRANGER_ACCOUNT), action: "sts:AssumeRole", resource: path.sourceRoleArn });
          await denied(index, { caller: service("scraper.aps.amazonaws.com"), action: "sts:AssumeRole", resource: path.sourceRoleArn });
          await denied(index, { caller: service("grafana.amazonaws.com", path.scraperArn, path.accountId), action: "sts:AssumeRole", resource: path.sourceRoleArn });
        });

        it("the collector role session assumes the ingest (target) role; not another account's", async () => {
          const index = await indexOf(environment);
          const path = await scraperOf();
          const source = index.role(path.sourceRoleArn);
          await allowed(index, { caller: roleSession(source, "aps-scraper"), action: "sts:AssumeRole", resource: path.targetRoleArn });
          for (const other of hubWorkloads(index).filter((w) => w.accountId !== path.accountId)) {
            await denied(index, { caller: roleSession(source, "aps-scraper"), action: "sts:AssumeRole", resource: other.ingestRoleArn }, "identity", "resource");
          }
        });

        it("the ingest role session remote-writes into the scraper's destination workspace; not another", async () => {
          const index = await indexOf(environment);
          const path = await scraperOf();
          const ingest = index.role(path.targetRoleArn);
          await allowed(index, { caller: roleSession(ingest, "aps-scraper"), action: "aps:RemoteWrite", resource: path.workspaceArn });
          for (const other of hubWorkloads(index).filter((w) => w.accountId !== path.accountId)) {
            await denied(index, { caller: roleSession(ingest, "aps-scraper"), action: "aps:RemoteWrite", resource: other.workspaceArn }, "identity");
          }
        });
      });
    }
  });
}
