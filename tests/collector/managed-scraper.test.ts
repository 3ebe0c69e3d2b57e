/**
 * The managed-scraper mode in the cluster: the exporters its jobs discover, and the scraper's
 * way in, by the cluster's authentication mode (AMP user guide, "Configuring your Amazon EKS
 * cluster": access entries are created by AMP itself with API or API_AND_CONFIG_MAP; with
 * CONFIG_MAP the aps-collector-role ClusterRole, its binding to aps-collector-user and an
 * aws-auth mapping of the scraper's role).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { parse } from "yaml";
import { WorkloadAccountCollector } from "../../components/workload-collector";
import {
  awsAuthRoleArn,
  KUBE_STATE_METRICS_CHART,
  NODE_EXPORTER_CHART,
  scraperAccessMethod,
} from "../../components/workload-collector/exporters";
import { collectorHelmValues, PROMETHEUS_CHART } from "../../components/workload-collector/helm-values";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { collectorPrometheusConfig } from "../../components/workload-collector/prometheus-config";
import { renderScraperConfig } from "../../components/workload-collector/scraper-config";
import { StackRun } from "../../stacks/plan/run-stack";
import { ofType, runUnderPlanMocks } from "../support/components-under-plan";

const ACCOUNT = "420987654321";
const settings = {
  accountName: "search",
  clusterName: "search-prod",
  environment: "prod",
  scrapeInterval: "30s",
  remoteWrite: { remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write", region: "eu-west-1", ingestRoleArn: "arn:aws:iam::220987654321:role/amp-ingest-prod-search" },
  metricAllowlist: collectorMetricAllowlist(),
};

function collectorIn(authenticationMode: string): Promise<StackRun> {
  return runUnderPlanMocks(() => {
    const awsProvider = new aws.Provider("deploy", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] });
    const kubernetesProvider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    const collector = new WorkloadAccountCollector("search", {
      environment: "prod",
      accountName: "search",
      accountId: ACCOUNT,
      hub: {
        region: "eu-west-1",
        workspaceArn: "arn:aws:aps:eu-west-1:220987654321:workspace/ws-1",
        remoteWriteUrl: settings.remoteWrite.remoteWriteUrl,
        ingestRoleArn: settings.remoteWrite.ingestRoleArn,
        grafanaRoleArn: "arn:aws:iam::220987654321:role/grafana-workspace-prod",
      },
      collector: { mode: "managed-scraper", prometheusMode: "agent", scrapeInterval: "30s", namespace: "amp-collector", serviceAccount: "amp-collector" },
      metricAllowlist: collectorMetricAllowlist(),
      clusters: [{
        name: "search-prod",
        oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X`,
        oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/X",
        clusterArn: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/search-prod`,
        subnetIds: ["subnet-1", "subnet-2"],
        kubernetesProvider,
        authenticationMode,
      }],
    }, { providers: { aws: awsProvider } });
    return { scraperAccess: collector.scraperAccess };
  }, { accountId: ACCOUNT, region: "eu-west-1" });
}

describe("managed scraper: exporters and access to the cluster", () => {
  it("pins the exporters to what chart prometheus 25.27.0 installs as subcharts (its Chart.lock), with the same values in both modes", () => {
    expect(PROMETHEUS_CHART.version).to.equal("25.27.0");
    expect(NODE_EXPORTER_CHART).to.deep.equal({ chart: "prometheus-node-exporter", version: "4.39.0", repo: PROMETHEUS_CHART.repo });
    expect(KUBE_STATE_METRICS_CHART).to.deep.equal({ chart: "kube-state-metrics", version: "5.25.1", repo: PROMETHEUS_CHART.repo });
    // prometheus mode installs the same two charts through the subcharts it enables.
    const values = collectorHelmValues({ serviceAccountName: "sa", collectorRoleArn: "arn:aws:iam::1:role/r", prometheusMode: "agent", configMapOverrideName: "c" });
    expect(values).to.deep.include({
      "kube-state-metrics": { enabled: true, prometheusScrape: false },
      "prometheus-node-exporter": { enabled: true, service: { annotations: { "prometheus.io/scrape": "false" } } },
    });
  });

  it("keeps the exporters' endpoints by the app.kubernetes.io/name label their charts set (the chart name)", () => {
    const jobs = (collectorPrometheusConfig(settings).scrape_configs as any[]);
    const nameRegex = (job: string) => jobs.find((j) => j.job_name === job).relabel_configs
      .find((r: any) => r.source_labels?.[0] === "__meta_kubernetes_service_label_app_kubernetes_io_name").regex;
    expect(nameRegex("node-exporter")).to.equal(NODE_EXPORTER_CHART.chart);
    expect(nameRegex("kube-state-metrics")).to.equal(KUBE_STATE_METRICS_CHART.chart);
  });

  it("reaches kubelet and cAdvisor through the API server's node proxy, with AMP's Bearer token form", () => {
    const jobs = parse(renderScraperConfig(settings)).scrape_configs as any[];
    expect(jobs.map((j) => j.job_name)).to.deep.equal(["kubelet", "cadvisor", "node-exporter", "kube-state-metrics", "annotated-services"]);
    for (const [job, path] of [["kubelet", "metrics"], ["cadvisor", "metrics/cadvisor"]]) {
      const j = jobs.find((x) => x.job_name === job);
      expect(j.authorization).to.deep.equal({ type: "Bearer", credentials_file: "/var/run/secrets/kubernetes.io/serviceaccount/token" });
      expect(j.tls_config).to.equal(undefined);
      expect(j.metrics_path).to.equal(undefined);
      expect(j.relabel_configs.slice(-3)).to.deep.equal([
        { source_labels: ["__meta_kubernetes_node_name"], target_label: "instance" },
        { replacement: "kubernetes.default.svc:443", target_label: "__address__" },
        { source_labels: ["__meta_kubernetes_node_name"], regex: "(.+)", target_label: "__metrics_path__", replacement: `/api/v1/nodes/$1/proxy/${path}` },
      ]);
    }
  });

  it("maps authentication modes to the access method, and refuses an unknown one", () => {
    expect(scraperAccessMethod("API")).to.equal("access-entry-by-amp");
    expect(scraperAccessMethod("API_AND_CONFIG_MAP")).to.equal("access-entry-by-amp");
    expect(scraperAccessMethod("CONFIG_MAP")).to.equal("aws-auth");
    expect(() => scraperAccessMethod("IAM")).to.throw(/unknown EKS authentication mode "IAM"/);
  });

  it("writes the scraper's role for aws-auth without its path, as EKS requires", () => {
    expect(awsAuthRoleArn("arn:aws:iam::111122223333:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper_1234abcd-56ef-7"))
      .to.equal("arn:aws:iam::111122223333:role/AWSServiceRoleForAmazonPrometheusScraper_1234abcd-56ef-7");
    expect(awsAuthRoleArn("arn:aws:iam::111122223333:role/AWSServiceRoleForAmazonPrometheusScraper_x"))
      .to.equal("arn:aws:iam::111122223333:role/AWSServiceRoleForAmazonPrometheusScraper_x");
  });

  for (const mode of ["API", "API_AND_CONFIG_MAP"]) {
    it(`${mode}: installs the exporters and leaves the access entry to AMP (no RBAC of ours, nothing to map)`, async () => {
      const run = await collectorIn(mode);
      expect(ofType(run.resources, "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart).sort()).to.deep.equal(["kube-state-metrics", "prometheus-node-exporter"]);
      expect(run.resources.filter((r) => r.type.startsWith("kubernetes:rbac"))).to.deep.equal([]);
      expect(run.outputs.scraperAccess).to.deep.equal({ "search-prod": { authenticationMode: mode, method: "access-entry-by-amp" } });
    });
  }

  it("CONFIG_MAP: installs the AMP user guide's ClusterRole and binding before the scraper, and names the role to map", async () => {
    const run = await collectorIn("CONFIG_MAP");
    const [role] = ofType(run.resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
    const [binding] = ofType(run.resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
    expect((role.inputs.metadata as any).name).to.equal("aps-collector-role");
    expect(role.inputs.rules).to.deep.equal([
      { apiGroups: [""], resources: ["nodes", "nodes/proxy", "nodes/metrics", "services", "endpoints", "pods", "ingresses", "configmaps"], verbs: ["describe", "get", "list", "watch"] },
      { apiGroups: ["extensions", "networking.k8s.io"], resources: ["ingresses/status", "ingresses"], verbs: ["describe", "get", "list", "watch"] },
      { nonResourceURLs: ["/metrics"], verbs: ["get"] },
      { apiGroups: ["metrics.eks.amazonaws.com"], resources: ["kcm/metrics", "ksh/metrics"], verbs: ["get"] },
    ]);
    expect((binding.inputs.metadata as any).name).to.equal("aps-collector-user-role-binding");
    expect(binding.inputs.subjects).to.deep.equal([{ kind: "User", name: "aps-collector-user", apiGroup: "rbac.authorization.k8s.io" }]);
    for (const r of [role, binding]) expect(r.provider).to.match(/pulumi:providers:kubernetes::k8s$/);
    expect(run.outputs.scraperAccess).to.deep.equal({ "search-prod": {
      authenticationMode: "CONFIG_MAP",
      method: "aws-auth",
      awsAuthRoleArn: `arn:aws:iam::${ACCOUNT}:role/AWSServiceRoleForAmazonPrometheusScraper_known-at-deploy`,
    } });
  });
});
