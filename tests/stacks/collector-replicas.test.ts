/**
 * The prod collectors in prometheus mode run two replicas per cluster (Pulumi.prod.yaml
 * collector.replicas: 2): the chart's StatefulSet with a claim per pod, POD_NAME from the
 * downward API as `__replica__`, a PodDisruptionBudget and anti-affinity; dev keeps one.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { chartServerArgs, chartServerWorkload } from "../../components/workload-collector/chart-server-args";
import { ofType, stackOf } from "../support/plans";

const POD_NAME_ENV = [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }];

describe("collector replicas per environment under mocks", () => {
  for (const [stackName, mode, clusters] of [
    ["prod-payments", "agent", ["payments-prod-a", "payments-prod-b"]],
    ["prod-data", "server", ["data-prod"]],
  ] as const) {
    it(`${stackName} (${mode}) runs two replicas per cluster, each labelled __replica__ for AMP's deduplication`, async () => {
      const stack = await stackOf("prod", stackName);
      const releases = ofType(stack, "kubernetes:helm.sh/v3:Release").filter((r) => r.inputs.chart === "prometheus");
      expect(releases).to.have.length(clusters.length);
      for (const release of releases) {
        const values = release.inputs.values as Record<string, unknown>;
        const workload = chartServerWorkload(values);
        expect(workload).to.deep.include({ kind: "StatefulSet", replicas: 2, storage: "claim-per-pod", env: POD_NAME_ENV });
        expect(workload.podDisruptionBudget).to.deep.equal({ maxUnavailable: 1 });
        expect(workload.podAntiAffinity).to.deep.include({ mode: "preferred", topologyKey: "kubernetes.io/hostname" });
        const features = chartServerArgs(values).filter((arg) => arg.startsWith("--enable-feature="));
        expect(features.join(",")).to.include("expand-external-labels");
        expect(features.join(",").includes("agent")).to.equal(mode === "agent");
      }
      const configs = ofType(stack, "kubernetes:core/v1:ConfigMap").map((c) => parse((c.inputs.data as any)["prometheus.yml"]));
      expect(configs.map((c) => c.global.external_labels.cluster).sort()).to.deep.equal([...clusters]);
      for (const config of configs) expect(config.global.external_labels.__replica__).to.equal("${POD_NAME}");
    });
  }

  it("dev-payments keeps one replica: the Deployment, no __replica__ label, no label expansion", async () => {
    const stack = await stackOf("dev", "dev-payments");
    const [release] = ofType(stack, "kubernetes:helm.sh/v3:Release").filter((r) => r.inputs.chart === "prometheus");
    const values = release.inputs.values as Record<string, unknown>;
    expect(chartServerWorkload(values)).to.deep.equal({ kind: "Deployment", replicas: 1, storage: "shared-claim", env: [] });
    expect(chartServerArgs(values).join(" ")).not.to.include("expand-external-labels");
    const [configMap] = ofType(stack, "kubernetes:core/v1:ConfigMap");
    expect(parse((configMap.inputs.data as any)["prometheus.yml"]).global.external_labels).not.to.have.property("__replica__");
  });
});
