import { expect } from "chai";
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as grafana from "@pulumiverse/grafana";
import * as k8s from "@pulumi/kubernetes";
import YAML from "yaml";
import { parsePolicyDocument } from "../../components/iam/policy-document";
import { AMP_QUERY_ACTIONS } from "../../components/iam/statements";
import { createUnifiedQueryDataSource, htpasswdLine, PROMXY_IMAGE, UnifiedQuery } from "../../components/unified-query";
import { loadBalancerControllerPolicy } from "../../components/unified-query/lb-controller-policy";
import { KNOWN_AT_DEPLOY, RANDOM_PASSWORD_AT_DEPLOY } from "../../stacks/plan/mocks";
import { ResourceRecord, StackRun } from "../../stacks/plan/run-stack";
import {
  occurrences,
  ofType,
  outputIsSecret,
  outputValue,
  providerUrn,
  rejectionOf,
  runUnderPlanMocks,
  single,
  unwrapSecret,
} from "../support/components-under-plan";

const HUB = { accountId: "111122223333", region: "eu-west-1" };

const HUB_WORKSPACES = [
  { accountName: "payments", workspaceId: "ws-11111111-1111-4111-8111-111111111111" },
  { accountName: "checkout", workspaceId: "ws-22222222-2222-4222-8222-222222222222" },
  { accountName: "search", workspaceId: "ws-33333333-3333-4333-8333-333333333333" },
].map((ws) => ({ ...ws, workspaceArn: `arn:aws:aps:eu-west-1:111122223333:workspace/${ws.workspaceId}` }));

const OIDC_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";
const OIDC_URL = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";

/** The Load Balancer Controller names the internal ALB at deploy: the plan shows where its hostname goes. */
const ALB_HOSTNAME = `internal-${KNOWN_AT_DEPLOY}.eu-west-1.elb.amazonaws.com`;

type K8sObject = { metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; [key: string]: unknown };

function k8sNamed(resources: ResourceRecord[], type: string, name: string): K8sObject {
  return single(resources, type, (r) => (r.inputs as K8sObject).metadata?.name === name).inputs as K8sObject;
}

/** The hub's AWS provider, pinned to the hub account as the stacks pin theirs. */
function hubAwsProvider(): aws.Provider {
  return new aws.Provider("hub", { region: HUB.region, allowedAccountIds: [HUB.accountId] });
}

describe("UnifiedQuery under the plan's mocks", function () {
  describe("production-like, existing cluster, native SigV4, with its Grafana data source", () => {
    let component: UnifiedQuery;
    let run: StackRun;
    let resources: ResourceRecord[];

    before(async () => {
      run = await runUnderPlanMocks(() => {
        const awsProvider = hubAwsProvider();
        const k8sProvider = new k8s.Provider("hub-cluster", { kubeconfig: "{}" });
        component = new UnifiedQuery("unified-prod", {
          environment: "prod",
          region: "eu-west-1",
          hubAccountId: "111122223333",
          awsProvider,
          cluster: { kind: "existing", clusterName: "hub-prod", k8sProvider, vpcId: "vpc-0abc", oidcProviderArn: OIDC_ARN, oidcProviderUrl: OIDC_URL },
          workspaces: HUB_WORKSPACES,
          prodLike: true,
          exposure: { certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/abc", allowedCidrs: ["10.0.0.0/8"] },
        });
        // Wired as the hub wires it: the data source takes the component's outputs.
        const grafanaProvider = new grafana.Provider("grafana", { url: "https://g-abc.grafana-workspace.eu-west-1.amazonaws.com", auth: "token" });
        createUnifiedQueryDataSource(
          "all-accounts",
          { environment: "prod", queryUrl: component.queryUrl, basicAuthUsername: component.basicAuthUsername, basicAuthPassword: component.basicAuthPassword },
          grafanaProvider,
        );
        return { queryUrl: component.queryUrl, promxyConfig: component.promxyConfig };
      }, HUB);
      resources = run.resources;
    });

    it("deploys AWS resources with the hub's provider into the hub account, Kubernetes ones with the cluster's provider", () => {
      const hubProvider = providerUrn(resources, "pulumi:providers:aws", "hub");
      const clusterProvider = providerUrn(resources, "pulumi:providers:kubernetes", "hub-cluster");
      const awsResources = resources.filter((r) => r.custom && r.type.startsWith("aws:"));
      expect(awsResources.length).to.be.at.least(5);
      for (const r of awsResources) expect([r.name, r.provider, r.accountId]).to.deep.equal([r.name, hubProvider, "111122223333"]);
      const k8sResources = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
      expect(k8sResources.length).to.be.at.least(10);
      for (const r of k8sResources) expect([r.name, r.provider]).to.deep.equal([r.name, clusterProvider]);
      expect(single(resources, "grafana:oss/dataSource:DataSource").provider).to.equal(providerUrn(resources, "pulumi:providers:grafana", "grafana"));
    });

    it("creates its own namespace", () => {
      expect(k8sNamed(resources, "kubernetes:core/v1:Namespace", "promxy")).to.be.an("object");
    });

    it("annotates the Promxy service account with its IRSA role, trusted only from that service account", () => {
      const sa = k8sNamed(resources, "kubernetes:core/v1:ServiceAccount", "promxy");
      expect(sa.metadata.namespace).to.equal("promxy");
      expect(sa.metadata.annotations).to.deep.equal({ "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/unified-prod-promxy" });

      const role = single(resources, "aws:iam/role:Role", (r) => r.name === "unified-prod-promxy");
      const trust = parsePolicyDocument(role.inputs.assumeRolePolicy);
      expect(trust.Statement).to.deep.equal([
        {
          Sid: "TrustServiceAccount",
          Effect: "Allow",
          Principal: { Federated: OIDC_ARN },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub": "system:serviceaccount:promxy:promxy",
              "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:aud": "sts.amazonaws.com",
            },
          },
        },
      ]);
    });

    it("lets Promxy query exactly the hub's workspaces and nothing else", () => {
      const policies = ofType(resources, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.name === "unified-prod-promxy-query");
      expect(policies).to.have.length(1);
      expect(policies[0].inputs.role).to.equal("unified-prod-promxy");
      const doc = parsePolicyDocument(policies[0].inputs.policy);
      expect(doc.Statement).to.have.length(1);
      const [statement] = doc.Statement;
      expect(statement.Effect).to.equal("Allow");
      expect(statement.Action).to.have.members(AMP_QUERY_ACTIONS).and.have.length(4);
      expect(statement.Resource).to.have.members(HUB_WORKSPACES.map((w) => w.workspaceArn)).and.have.length(HUB_WORKSPACES.length);
      expect(statement.Condition).to.equal(undefined);
      // No managed policy attachment widens the Promxy role behind the inline policy's back
      // (the only attachments are the Load Balancer Controller's own two policies, on its role).
      const promxyRole = single(resources, "aws:iam/role:Role", (r) => r.name === "unified-prod-promxy");
      const promxyRoleName = promxyRole.inputs.name ?? promxyRole.name;
      const attachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
      expect(attachments.map((a) => a.name)).to.deep.equal(["unified-prod-lb-controller-1", "unified-prod-lb-controller-2"]);
      expect(attachments.filter((a) => a.inputs.role === promxyRoleName)).to.deep.equal([]);
    });

    it("runs a pinned Promxy with probes, resources and at least two replicas", () => {
      const deployment = k8sNamed(resources, "kubernetes:apps/v1:Deployment", "promxy") as K8sObject & {
        spec: { replicas: number; template: { metadata: { annotations: Record<string, string> }; spec: { containers: Array<Record<string, any>>; serviceAccountName: string } } };
      };
      expect(deployment.spec.replicas).to.be.at.least(2);
      const pod = deployment.spec.template.spec;
      expect(pod.serviceAccountName).to.equal("promxy");
      expect(pod.containers.map((c) => c.name)).to.deep.equal(["promxy"]);
      const [promxy] = pod.containers;
      expect(promxy.image).to.equal(PROMXY_IMAGE);
      expect(promxy.image).to.match(/:v0\.0\.(9[4-9]|\d{3,})$/);
      expect(promxy.readinessProbe.httpGet).to.deep.equal({ path: "/-/ready", port: "http" });
      expect(promxy.livenessProbe.httpGet).to.deep.equal({ path: "/-/healthy", port: "http" });
      expect(promxy.resources.requests).to.have.keys("cpu", "memory");
      expect(promxy.resources.limits).to.have.keys("cpu", "memory");
      expect(promxy.securityContext.readOnlyRootFilesystem).to.equal(true);
      expect(deployment.spec.template.metadata.annotations["checksum/config"]).to.match(/^[0-9a-f]{64}$/);
    });

    it("mounts the rendered config: one group per hub workspace, signed natively", async () => {
      const configMap = k8sNamed(resources, "kubernetes:core/v1:ConfigMap", "promxy-config") as K8sObject & { data: Record<string, string> };
      const config = YAML.parse(configMap.data["config.yaml"]) as { promxy: { server_groups: Array<Record<string, any>> } };
      expect(config.promxy.server_groups.map((g) => [g.labels.account, g.path_prefix, g.http_client.sigv4])).to.deep.equal([
        ["checkout", "/workspaces/ws-22222222-2222-4222-8222-222222222222", { region: "eu-west-1" }],
        ["payments", "/workspaces/ws-11111111-1111-4111-8111-111111111111", { region: "eu-west-1" }],
        ["search", "/workspaces/ws-33333333-3333-4333-8333-333333333333", { region: "eu-west-1" }],
      ]);
      expect(await outputValue(component.promxyConfig)).to.equal(configMap.data["config.yaml"]);
    });

    it("has a PodDisruptionBudget and a ClusterIP service in front of the pods", () => {
      const pdb = k8sNamed(resources, "kubernetes:policy/v1:PodDisruptionBudget", "promxy") as K8sObject & { spec: Record<string, any> };
      expect(pdb.spec.minAvailable).to.equal(1);
      const service = k8sNamed(resources, "kubernetes:core/v1:Service", "promxy") as K8sObject & { spec: Record<string, any> };
      expect(service.spec.type).to.equal("ClusterIP");
      expect(service.spec.ports).to.deep.equal([{ name: "http", port: 8082, targetPort: "http", protocol: "TCP" }]);
      expect(service.spec.selector).to.deep.equal(pdb.spec.selector.matchLabels);
    });

    it("puts basic authentication in front of Promxy and an internal HTTPS ALB in front of nginx", () => {
      const ingress = k8sNamed(resources, "kubernetes:networking.k8s.io/v1:Ingress", "promxy") as K8sObject & { spec: Record<string, any> };
      expect(ingress.metadata.annotations).to.include({
        "nginx.ingress.kubernetes.io/auth-type": "basic",
        "nginx.ingress.kubernetes.io/auth-secret": "promxy-basic-auth",
        "nginx.ingress.kubernetes.io/auth-secret-type": "auth-file",
      });
      expect(ingress.spec.ingressClassName).to.equal("nginx-promxy");
      expect(ingress.spec.rules[0].http.paths[0].backend.service).to.deep.equal({ name: "promxy", port: { name: "http" } });

      const alb = k8sNamed(resources, "kubernetes:networking.k8s.io/v1:Ingress", "promxy-alb") as K8sObject & { spec: Record<string, any> };
      expect(alb.spec.ingressClassName).to.equal("alb");
      expect(alb.metadata.annotations).to.include({
        "alb.ingress.kubernetes.io/scheme": "internal",
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
        "alb.ingress.kubernetes.io/inbound-cidrs": "10.0.0.0/8",
      });
      expect(alb.spec.defaultBackend.service.name).to.equal("promxy-ingress-nginx-controller");
    });

    it("installs the Load Balancer Controller with its own IRSA role and ingress-nginx, both pinned", () => {
      const releases = ofType(resources, "kubernetes:helm.sh/v3:Release");
      expect(releases.map((r) => [r.inputs.chart, r.inputs.version])).to.have.deep.members([
        ["aws-load-balancer-controller", "1.13.0"],
        ["ingress-nginx", "4.12.0"],
      ]);
      const lbc = releases.find((r) => r.inputs.chart === "aws-load-balancer-controller")!;
      const values = lbc.inputs.values as Record<string, any>;
      expect(values.clusterName).to.equal("hub-prod");
      expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).to.equal("arn:aws:iam::111122223333:role/unified-prod-lb-controller");
      const trust = parsePolicyDocument(single(resources, "aws:iam/role:Role", (r) => r.name === "unified-prod-lb-controller").inputs.assumeRolePolicy);
      expect(JSON.stringify(trust)).to.include("system:serviceaccount:kube-system:aws-load-balancer-controller");
      // The controller's policy as two managed policies, together exactly its statements, each well within IAM's 6,144 characters.
      const parts = ofType(resources, "aws:iam/policy:Policy").filter((r) => r.name.startsWith("unified-prod-lb-controller-"));
      expect(parts.map((p) => p.name)).to.deep.equal(["unified-prod-lb-controller-1", "unified-prod-lb-controller-2"]);
      const statements = parts.flatMap((p) => parsePolicyDocument(p.inputs.policy).Statement);
      expect(statements.map((s) => s.Sid).sort()).to.deep.equal(
        loadBalancerControllerPolicy({ partition: "aws", region: "eu-west-1", accountId: "111122223333", clusterName: "hub-prod" }).Statement.map((s) => s.Sid).sort());
      for (const part of parts) expect(String(part.inputs.policy).replace(/\s/g, "").length, part.name).to.be.below(0.8 * 6_144);
      const lbcRole = single(resources, "aws:iam/role:Role", (r) => r.name === "unified-prod-lb-controller");
      const lbcRoleName = lbcRole.inputs.name ?? lbcRole.name;
      expect(ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").every((a) => a.inputs.role === lbcRoleName)).to.equal(true);
    });

    it("generates the password with Secrets Manager through the hub's provider", () => {
      expect(run.invokes).to.deep.equal([
        { token: "aws:secretsmanager/getRandomPassword:getRandomPassword", provider: providerUrn(resources, "pulumi:providers:aws", "hub") },
      ]);
    });

    it("keeps the password secret everywhere: stored in Secrets Manager and Grafana, only its hash in the cluster", async () => {
      const everywhere = resources.flatMap((r) => occurrences(r.inputs, RANDOM_PASSWORD_AT_DEPLOY).map((o) => ({ ...o, resource: `${r.type}::${r.name}` })));
      expect(everywhere.filter((o) => !o.secret), "plain-text password in resource inputs").to.deep.equal([]);
      expect(everywhere.map((o) => o.resource)).to.have.members([
        "aws:secretsmanager/secretVersion:SecretVersion::unified-prod-basic-auth",
        "grafana:oss/dataSource:DataSource::all-accounts",
      ]);

      const secret = single(resources, "kubernetes:core/v1:Secret", (r) => (r.inputs as K8sObject).metadata.name === "promxy-basic-auth");
      const stringData = unwrapSecret(secret.inputs.stringData) as Record<string, unknown>;
      expect(stringData, "stringData must be a secret").to.not.equal(secret.inputs.stringData);
      expect(unwrapSecret(stringData.auth)).to.equal(htpasswdLine("grafana", RANDOM_PASSWORD_AT_DEPLOY));

      expect(await outputIsSecret(component.basicAuthPassword)).to.equal(true);
      expect(await outputValue(component.basicAuthPassword)).to.equal(RANDOM_PASSWORD_AT_DEPLOY);
      expect(await outputValue(component.basicAuthUsername)).to.equal("grafana");
      expect(await outputValue(component.promxyConfig)).to.not.include(RANDOM_PASSWORD_AT_DEPLOY);
    });

    it("outputs the HTTPS URL of the ALB (from the ALB Ingress's status) for Grafana", () => {
      expect(run.outputs.queryUrl).to.equal(`https://${ALB_HOSTNAME}`);
    });

    it("creates the Grafana data source with the password only in secure JSON data", () => {
      const inputs = single(resources, "grafana:oss/dataSource:DataSource").inputs;
      expect(inputs).to.include({ type: "prometheus", uid: "all-accounts-prod", name: "All accounts", basicAuthEnabled: true, basicAuthUsername: "grafana" });
      expect(inputs.url).to.equal(`https://${ALB_HOSTNAME}`);
      expect(occurrences(inputs, RANDOM_PASSWORD_AT_DEPLOY)).to.deep.equal([{ path: ".secureJsonDataEncoded", secret: true }]);
      expect(JSON.parse(unwrapSecret(inputs.secureJsonDataEncoded) as string)).to.deep.equal({ basicAuthPassword: RANDOM_PASSWORD_AT_DEPLOY });
    });
  });

  describe("development, new EKS cluster, sidecar signing", () => {
    let run: StackRun;
    let resources: ResourceRecord[];

    before(async () => {
      run = await runUnderPlanMocks(() => {
        const component = new UnifiedQuery("unified-dev", {
          environment: "dev",
          region: "eu-west-1",
          hubAccountId: "111122223333",
          awsProvider: hubAwsProvider(),
          cluster: {
            kind: "create",
            clusterName: "hub-dev",
            vpcId: "vpc-0dev",
            privateSubnetIds: ["subnet-a", "subnet-b"],
            apiEndpoint: { access: "private" },
            deployRoleArn: "arn:aws:iam::111122223333:role/observability-deploy",
            eksProvider: new eks.Provider("hub-eks"),
          },
          workspaces: HUB_WORKSPACES.slice(0, 1),
          prodLike: false,
          sigv4Mode: "sidecar",
        });
        return { queryUrl: component.queryUrl };
      }, HUB);
      resources = run.resources;
    });

    it("creates the cluster with @pulumi/eks, given its own eks provider and the hub's aws provider", () => {
      const cluster = single(resources, "eks:index:Cluster");
      expect(cluster.inputs).to.include({ name: "hub-dev", createOidcProvider: true, endpointPublicAccess: false, nodeAssociatePublicIpAddress: false, authenticationMode: "API" });
      expect(cluster.inputs.providerCredentialOpts).to.deep.equal({ roleArn: "arn:aws:iam::111122223333:role/observability-deploy" });
      expect(cluster.provider).to.equal(providerUrn(resources, "pulumi:providers:eks", "hub-eks"));
      expect(cluster.providers).to.deep.include({ aws: providerUrn(resources, "pulumi:providers:aws", "hub") });
    });

    it("trusts the new cluster's OIDC provider (its issuer id is known at deploy) for the Promxy service account only", () => {
      const issuer = `oidc.eks.eu-west-1.amazonaws.com/id/${KNOWN_AT_DEPLOY}`;
      const role = single(resources, "aws:iam/role:Role", (r) => r.name === "unified-dev-promxy");
      expect(parsePolicyDocument(role.inputs.assumeRolePolicy).Statement).to.deep.equal([
        {
          Sid: "TrustServiceAccount",
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${issuer}` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:promxy:promxy", [`${issuer}:aud`]: "sts.amazonaws.com" } },
        },
      ]);
    });

    it("deploys Kubernetes resources through the new cluster's provider, not the hub-cluster one", () => {
      const clusterProvider = providerUrn(resources, "pulumi:providers:kubernetes", "unified-dev-cluster-k8s");
      const k8sResources = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
      expect(k8sResources.length).to.be.at.least(10);
      for (const r of k8sResources) expect([r.name, r.provider]).to.deep.equal([r.name, clusterProvider]);
    });

    it("adds the signing sidecar, targets it from the config, and skips the PDB", () => {
      const deployment = k8sNamed(resources, "kubernetes:apps/v1:Deployment", "promxy") as K8sObject & { spec: Record<string, any> };
      expect(deployment.spec.replicas).to.equal(1);
      const containers = deployment.spec.template.spec.containers as Array<Record<string, any>>;
      expect(containers.map((c) => c.name)).to.deep.equal(["promxy", "sigv4-proxy"]);
      expect(containers[1].args).to.deep.equal(["--name", "aps", "--region", "eu-west-1", "--host", "aps-workspaces.eu-west-1.amazonaws.com", "--port", ":8005"]);
      const configMap = k8sNamed(resources, "kubernetes:core/v1:ConfigMap", "promxy-config") as K8sObject & { data: Record<string, string> };
      const group = (YAML.parse(configMap.data["config.yaml"]) as { promxy: { server_groups: Array<Record<string, any>> } }).promxy.server_groups[0];
      expect(group.static_configs).to.deep.equal([{ targets: ["127.0.0.1:8005"] }]);
      expect(ofType(resources, "kubernetes:policy/v1:PodDisruptionBudget")).to.have.length(0);
    });

    it("uses an internal HTTP-only ALB when no certificate is given", () => {
      const alb = k8sNamed(resources, "kubernetes:networking.k8s.io/v1:Ingress", "promxy-alb");
      expect(alb.metadata.annotations).to.include({ "alb.ingress.kubernetes.io/scheme": "internal", "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80}]' });
      expect(run.outputs.queryUrl).to.equal(`http://${ALB_HOSTNAME}`);
    });
  });

  it("refuses a production-like deployment with a single replica", async () => {
    const error = await rejectionOf(runUnderPlanMocks(() => {
      new UnifiedQuery("unified-bad", {
        environment: "prod",
        region: "eu-west-1",
        hubAccountId: "111122223333",
        awsProvider: hubAwsProvider(),
        cluster: { kind: "existing", clusterName: "hub", k8sProvider: new k8s.Provider("hub-cluster", { kubeconfig: "{}" }), vpcId: "vpc-1", oidcProviderArn: OIDC_ARN, oidcProviderUrl: OIDC_URL },
        workspaces: HUB_WORKSPACES,
        prodLike: true,
        replicas: 1,
      });
    }, HUB));
    expect(error.message).to.match(/at least 2 Promxy replicas/);
  });
});
