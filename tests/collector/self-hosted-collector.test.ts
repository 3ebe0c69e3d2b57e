/**
 * WorkloadAccountCollector writing to a self-hosted hub, under the plan's mocks: the
 * prometheus.yml deployed (one remote_write per hub server, the token as a file, the same
 * filter as the AMP path), the collector role's trust and its only permission (its own ingest
 * secret in the hub account, and the hub key through Secrets Manager), the pod's credentials
 * step in the chart values, and that no token value reaches the program.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { parse } from "yaml";
import { WorkloadAccountCollector, SelfHostedHubTarget } from "../../components/workload-collector";
import { agentServerFlags, PROMETHEUS_CHART } from "../../components/workload-collector/helm-values";
import {
  FETCH_INGEST_TOKEN_SCRIPT, HUB_CREDENTIALS_DIR, HUB_CREDENTIALS_IMAGE, HUB_CREDENTIALS_VOLUME, HUB_INGEST_TOKEN_FILE,
} from "../../components/workload-collector/hub-credentials";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { remoteWriteSection } from "../../components/workload-collector/prometheus-config";
import { COLLECTOR_SERIES_CUTS } from "../../components/workload-collector/series-cuts";
import { IMAGES } from "../../components/self-hosted-hub/container-definitions";
import { RANDOM_PASSWORD_AT_DEPLOY } from "../../stacks/plan/mocks";
import { ResourceRecord, SECRET_MARKER, StackRun } from "../../stacks/plan/run-stack";
import { occurrences, ofType, rejectionOf, runUnderPlanMocks, single } from "../support/components-under-plan";
import { planOf } from "../support/plans";

const HUB = "210987654321";
const ACCOUNT = "410987654321";
const REGION = "eu-west-1";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/7E3B9D2F4A6C8E0B1D3F5A7C9E2B5C1A";
const SECRET = `arn:aws:secretsmanager:${REGION}:${HUB}:secret:observability/prod/self-hosted/ingest/search-Ab12Cd`;
const KEY = `arn:aws:kms:${REGION}:${HUB}:key/0b1c2d3e-4f50-6a7b-8c9d-0e1f2a3b4c5d`;
const EXPORTER = `arn:aws:iam::${HUB}:role/hub-prod-cloudwatch-exporter-task`;
const URLS = ["https://metrics.example.com/prometheus-a/api/v1/write", "https://metrics.example.com/prometheus-b/api/v1/write"];

const selfHostedHub: SelfHostedHubTarget = {
  backend: "self-hosted", region: REGION, remoteWriteUrls: URLS,
  ingestSecretArn: SECRET, ingestSecretKeyArn: KEY, tokenField: "token", cloudWatchReaderRoleArn: EXPORTER,
};

type Overrides = { mode?: "prometheus" | "managed-scraper"; replicas?: number; vpcEndpoint?: boolean };

function collectorWith(overrides: Overrides = {}): Promise<StackRun> {
  return runUnderPlanMocks(() => {
    const awsProvider = new aws.Provider("deploy", { region: REGION, allowedAccountIds: [ACCOUNT] });
    const kubernetesProvider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    new WorkloadAccountCollector("search", {
      environment: "prod",
      accountName: "search",
      accountId: ACCOUNT,
      hub: selfHostedHub,
      collector: { mode: overrides.mode ?? "prometheus", prometheusMode: "agent", scrapeInterval: "30s", replicas: overrides.replicas, namespace: "amp-collector", serviceAccount: "amp-collector" },
      metricAllowlist: collectorMetricAllowlist(),
      clusters: [{
        name: "search-prod",
        oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`,
        oidcIssuerUrl: `https://${ISSUER}`,
        clusterArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/search-prod`,
        subnetIds: ["subnet-1"],
        kubernetesProvider,
        authenticationMode: "API",
        ...(overrides.vpcEndpoint ? { vpcEndpoint: { vpcId: "vpc-1", subnetIds: ["subnet-1"], allowedSecurityGroupIds: [], allowedCidrs: ["10.0.0.0/16"] } } : {}),
      }],
    }, { providers: { aws: awsProvider } });
  }, { accountId: ACCOUNT, region: REGION });
}

const doc = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);
const named = (run: StackRun, type: string, name: string): ResourceRecord => single(run.resources, type, (r) => r.name === name);

describe("collector writing to a self-hosted hub (under the plan's mocks)", () => {
  let run: StackRun;
  before(async () => {
    run = await collectorWith();
  });

  it("renders one remote_write per hub server, with the token file and exactly the AMP path's filter and queue", () => {
    const config = parse(String((named(run, "kubernetes:core/v1:ConfigMap", "search-search-prod-config").inputs.data as Record<string, string>)["prometheus.yml"]));
    const amp = remoteWriteSection({ remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write", region: REGION, ingestRoleArn: "arn:aws:iam::1:role/x" },
      collectorMetricAllowlist(), COLLECTOR_SERIES_CUTS) as Record<string, unknown>;
    expect(config.remote_write.map((s: any) => [s.name, s.url])).to.deep.equal([["prometheus-a", URLS[0]], ["prometheus-b", URLS[1]]]);
    for (const section of config.remote_write) {
      expect(section.authorization).to.deep.equal({ type: "Bearer", credentials_file: HUB_INGEST_TOKEN_FILE });
      expect(section).to.not.have.any.keys("sigv4", "bearer_token", "basic_auth");
      expect(section.write_relabel_configs).to.deep.equal(amp.write_relabel_configs);
      expect(section.queue_config).to.deep.equal(amp.queue_config);
    }
    expect(config.global.external_labels).to.deep.equal({ account: "search", cluster: "search-prod", environment: "prod" });
    expect(config.scrape_configs.map((j: any) => j.job_name)).to.deep.equal(["prometheus", "kubelet", "cadvisor", "node-exporter", "kube-state-metrics", "annotated-services"]);
  });

  it("trusts one service account of the cluster (sub and aud pinned), and may only read its own ingest secret and decrypt it through Secrets Manager", () => {
    const role = named(run, "aws:iam/role:Role", "search-collector");
    expect(role.inputs.name).to.equal("amp-collector-prod-search");
    expect(doc(role.inputs.assumeRolePolicy).Statement).to.deep.equal([{
      Sid: "TrustCollectorOfsearchprod", Effect: "Allow",
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:amp-collector:amp-collector", [`${ISSUER}:aud`]: "sts.amazonaws.com" } },
    }]);
    const policies = ofType(run.resources, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === "amp-collector-prod-search");
    expect(policies.map((p) => p.name)).to.deep.equal(["search-collector-read-ingest-token"]);
    expect(doc(policies[0].inputs.policy).Statement).to.deep.equal([
      { Sid: "ReadOwnIngestCredential", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET },
      { Sid: "DecryptOwnIngestCredential", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } } },
    ]);
  });

  it("has no AMP piece: no ingest role to assume, no managed scraper, no aps-workspaces endpoint", () => {
    const types = new Set(run.resources.map((r) => r.type));
    for (const type of ["aws:amp/scraper:Scraper", "aws:ec2/vpcEndpoint:VpcEndpoint"]) expect(types.has(type), type).to.equal(false);
    const actions = ofType(run.resources, "aws:iam/rolePolicy:RolePolicy").flatMap((p) => doc(p.inputs.policy).Statement.flatMap((s: any) => [s.Action].flat()));
    expect(actions.filter((a: string) => a.startsWith("sts:") || a.startsWith("aps:"))).to.deep.equal([]);
  });

  it("lets only the hub's CloudWatch exporter assume the CloudWatch read role", () => {
    const role = named(run, "aws:iam/role:Role", "search-cloudwatch-read");
    expect(role.inputs.name).to.equal("grafana-cloudwatch-read-prod");
    expect(doc(role.inputs.assumeRolePolicy).Statement).to.deep.equal([{ Sid: "TrustExactRole", Effect: "Allow", Principal: { AWS: EXPORTER }, Action: "sts:AssumeRole" }]);
  });

  it("adds the credentials step to the chart: an init container with the collector's service account writes the token to an in-memory volume that Prometheus mounts read-only", () => {
    const release = single(run.resources, "kubernetes:helm.sh/v3:Release", (r) => r.inputs.chart === PROMETHEUS_CHART.chart);
    const values = release.inputs.values as any;
    expect(values.serviceAccounts.server.annotations["eks.amazonaws.com/role-arn"]).to.equal(`arn:aws:iam::${ACCOUNT}:role/amp-collector-prod-search`);
    const [init, ...more] = values.server.extraInitContainers;
    expect(more).to.deep.equal([]);
    expect(init.image).to.equal(HUB_CREDENTIALS_IMAGE).and.to.equal(IMAGES.configLoader);
    expect(init.command).to.deep.equal(["/bin/sh", "-c", FETCH_INGEST_TOKEN_SCRIPT]);
    expect(Object.fromEntries(init.env.map((e: { name: string; value: string }) => [e.name, e.value]))).to.deep.equal({
      INGEST_SECRET_ARN: SECRET, TOKEN_FIELD: "token", TOKEN_FILE: HUB_INGEST_TOKEN_FILE, AWS_REGION: REGION, HOME: "/tmp",
    });
    expect(init.volumeMounts).to.deep.equal([{ name: HUB_CREDENTIALS_VOLUME, mountPath: HUB_CREDENTIALS_DIR }]);
    expect(init.securityContext).to.deep.equal({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(values.server.extraVolumes).to.deep.equal([{ name: HUB_CREDENTIALS_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }]);
    expect(values.server.extraVolumeMounts).to.deep.equal([{ name: HUB_CREDENTIALS_VOLUME, mountPath: HUB_CREDENTIALS_DIR, readOnly: true }]);
    expect(HUB_INGEST_TOKEN_FILE.startsWith(`${HUB_CREDENTIALS_DIR}/`)).to.equal(true);
    // The agent's own flags are the managed path's.
    expect(values.server.defaultFlagsOverride).to.deep.equal(agentServerFlags());
  });

  it("keeps the credentials step in an HA group (the chart's StatefulSet takes the same values)", async () => {
    const ha = await collectorWith({ replicas: 2 });
    const values = single(ha.resources, "kubernetes:helm.sh/v3:Release").inputs.values as any;
    expect(values.server.statefulSet).to.deep.equal({ enabled: true });
    expect(values.server.extraInitContainers).to.have.length(1);
    expect(values.server.extraVolumeMounts).to.have.length(1);
  });

  it("declares no Kubernetes or Pulumi secret and no input holds a token: the program only handles the secret's ARN", () => {
    expect(ofType(run.resources, "kubernetes:core/v1:Secret")).to.deep.equal([]);
    expect(ofType(run.resources, "aws:secretsmanager/secretVersion:SecretVersion")).to.deep.equal([]);
    expect(run.invokes.map((i) => i.token)).to.not.include("aws:secretsmanager/getSecretVersion:getSecretVersion");
    // Every string of every input (secrets revealed in this run): none lies inside a secret, none is a generated value.
    const strings = occurrences(run.resources.map((r) => r.inputs), "");
    expect(strings.filter((o) => o.secret)).to.deep.equal([]);
    expect(occurrences(run.resources, RANDOM_PASSWORD_AT_DEPLOY)).to.deep.equal([]);
  });

  it("in the selfhosted plan, the hub account's stacks hold the tokens as secrets and no workload stack holds a secret of any kind", async () => {
    const plan = await planOf("selfhosted");
    const hub = plan.stacks.find((s) => s.kind === "hub")!;
    // The shared stack: the query token and Grafana's admin password; each account's hub stack: its ingest token.
    expect(ofType(hub.resources, "aws:secretsmanager/secretVersion:SecretVersion").length, "query and Grafana admin secrets").to.equal(2);
    const accountHubs = plan.stacks.filter((s) => s.kind === "hub-account");
    expect(accountHubs.map((s) => ofType(s.resources, "aws:secretsmanager/secretVersion:SecretVersion").length)).to.deep.equal([1, 1]);
    const versions = [hub, ...accountHubs].flatMap((stack) => ofType(stack.resources, "aws:secretsmanager/secretVersion:SecretVersion"));
    for (const version of versions) expect(version.inputs.secretString, version.name).to.equal(SECRET_MARKER);
    for (const stack of plan.stacks.filter((s) => s.kind === "workload")) {
      expect(occurrences([stack.resources, stack.outputs, stack.artifacts], SECRET_MARKER), stack.stack).to.deep.equal([]);
      expect(occurrences([stack.resources, stack.outputs, stack.artifacts], RANDOM_PASSWORD_AT_DEPLOY), stack.stack).to.deep.equal([]);
      expect(ofType(stack.resources, "kubernetes:core/v1:Secret"), stack.stack).to.deep.equal([]);
      // What the workload side does hold: the secret's ARN, in the collector's policy and the init container.
      expect(occurrences(stack.resources, ":secret:observability/selfhosted/self-hosted/ingest/").length, stack.stack).to.equal(2);
    }
  });

  it("refuses the AMP-only pieces, naming the component and what to do", async () => {
    expect((await rejectionOf(collectorWith({ mode: "managed-scraper" }))).message).to.match(/search: the managed scraper writes only to AMP workspaces; with a self-hosted hub use collector mode prometheus/);
    expect((await rejectionOf(collectorWith({ vpcEndpoint: true }))).message).to.match(/search-prod ask for an aps-workspaces VPC endpoint, which a self-hosted hub does not use; drop vpcEndpoint/);
  });
});
