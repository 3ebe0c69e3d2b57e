/**
 * Who may talk to whom inside the hub VPC, port by port: collectors (the given CIDRs) and
 * Grafana reach only the load balancer's TLS port, deployments (their own CIDRs) only its
 * Grafana API port; the load balancer reaches only the ingest
 * proxies and Grafana; Prometheus reaches Alertmanager and the CloudWatch exporter; only the
 * writers reach EFS. Rules are separate resources, so groups can refer to each other.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const PORTS = Object.freeze({ https: 443, ingestProxy: 9091, alertmanager: 9093, cloudWatchExporter: 5000, grafana: 3000, grafanaApi: 8443, nfs: 2049 });

export interface HubSecurityGroupsArgs {
  vpcId: string;
  /** Networks the workload collectors write from (peered VPCs, transit gateway ranges). */
  collectorCidrs: string[];
  /** Networks the deployments run from: they reach Grafana's API listener to manage its folders, data sources and dashboards. */
  automationCidrs: string[];
  awsProvider: aws.Provider;
  tags: Record<string, string>;
}

export class HubSecurityGroups extends pulumi.ComponentResource {
  public readonly loadBalancer: pulumi.Output<string>;
  public readonly metrics: pulumi.Output<string>;
  public readonly alertmanager: pulumi.Output<string>;
  public readonly cloudWatchExporter: pulumi.Output<string>;
  public readonly grafana: pulumi.Output<string>;
  public readonly storage: pulumi.Output<string>;

  constructor(name: string, args: HubSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:selfhosted:HubSecurityGroups", name, {}, opts);
    const child = { provider: args.awsProvider, parent: this };
    if (args.collectorCidrs.some((cidr) => cidr.endsWith("/0"))) throw new Error("collectorCidrs must name the collectors' networks, not the whole internet");
    if (args.automationCidrs.some((cidr) => cidr.endsWith("/0"))) throw new Error("automationCidrs must name the deployments' networks, not the whole internet");
    const group = (role: string, description: string) =>
      new aws.ec2.SecurityGroup(`${name}-${role}`, { name: `${name}-${role}`, description, vpcId: args.vpcId, tags: { ...args.tags, Name: `${name}-${role}` } }, child);
    const loadBalancer = group("lb", "Internal load balancer of the self-hosted hub (TLS from collectors and Grafana)");
    const metrics = group("metrics", "Prometheus and its ingest proxy");
    const alertmanager = group("alertmanager", "Alertmanager");
    const exporter = group("cloudwatch-exporter", "CloudWatch exporter");
    const grafana = group("grafana", "Grafana");
    const storage = group("efs", "EFS mount targets of the self-hosted hub");

    const ingress = (id: string, target: aws.ec2.SecurityGroup, port: number, from: { cidr?: string; group?: aws.ec2.SecurityGroup }, description: string) =>
      new aws.vpc.SecurityGroupIngressRule(`${name}-${id}`, {
        securityGroupId: target.id, ipProtocol: "tcp", fromPort: port, toPort: port, description,
        ...(from.cidr ? { cidrIpv4: from.cidr } : { referencedSecurityGroupId: from.group!.id }),
      }, child);
    args.collectorCidrs.forEach((cidr, index) => ingress(`lb-from-collectors-${index}`, loadBalancer, PORTS.https, { cidr }, `collectors in ${cidr}`));
    args.automationCidrs.forEach((cidr, index) => ingress(`lb-api-from-automation-${index}`, loadBalancer, PORTS.grafanaApi, { cidr }, `Grafana's API for deployments in ${cidr}`));
    ingress("lb-from-grafana", loadBalancer, PORTS.https, { group: grafana }, "Grafana queries through the proxies");
    ingress("metrics-from-lb", metrics, PORTS.ingestProxy, { group: loadBalancer }, "ingest and query proxy behind the load balancer");
    ingress("alertmanager-from-metrics", alertmanager, PORTS.alertmanager, { group: metrics }, "alerts from Prometheus");
    ingress("exporter-from-metrics", exporter, PORTS.cloudWatchExporter, { group: metrics }, "scrapes from Prometheus");
    ingress("grafana-from-lb", grafana, PORTS.grafana, { group: loadBalancer }, "users through the load balancer's login");
    for (const writer of [["metrics", metrics], ["alertmanager", alertmanager], ["grafana", grafana]] as const) {
      ingress(`efs-from-${writer[0]}`, storage, PORTS.nfs, { group: writer[1] }, `NFS from ${writer[0]}`);
    }
    // The load balancer forwards only to its targets.
    for (const [id, target, port] of [["metrics", metrics, PORTS.ingestProxy], ["grafana", grafana, PORTS.grafana]] as const) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-lb-to-${id}`, { securityGroupId: loadBalancer.id, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: target.id, description: `to ${id}` }, child);
    }
    // Tasks reach AWS APIs, the config bucket and image registries over HTTPS, and their peers above.
    for (const [id, source] of [["metrics", metrics], ["alertmanager", alertmanager], ["exporter", exporter], ["grafana", grafana]] as const) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-${id}-out`, { securityGroupId: source.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "AWS APIs, registries and peers" }, child);
    }
    this.loadBalancer = loadBalancer.id;
    this.metrics = metrics.id;
    this.alertmanager = alertmanager.id;
    this.cloudWatchExporter = exporter.id;
    this.grafana = grafana.id;
    this.storage = storage.id;
    this.registerOutputs({});
  }
}
