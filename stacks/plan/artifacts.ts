/**
 * Generated documents, taken from the inputs of the resources that deploy them, so each
 * file is exactly what the provider receives.
 */
import { stringify } from "yaml";
import { ResourceRecord } from "./run-stack";

export interface Artifact {
  path: string;
  content: string;
}

type Extract = (record: ResourceRecord) => Artifact[];

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * The workload account a hub document belongs to (its `observability:account` tag), so the
 * same rule namespace of two accounts gives two files; the resource name when untagged.
 */
function accountOf(record: ResourceRecord): string {
  const tags = (record.inputs.tags ?? {}) as Record<string, unknown>;
  return text(tags["observability:account"]) ?? record.name;
}

function prettyJson(value: unknown): string {
  const raw = typeof value === "string" ? JSON.parse(value) : value;
  return JSON.stringify(raw, null, 2) + "\n";
}

function jsonFile(path: string, value: unknown): Artifact[] {
  if (value === undefined || value === null || value === "<unknown>") return [];
  return [{ path, content: prettyJson(value) }];
}

const extractors: Record<string, Extract> = {
  "kubernetes:core/v1:ConfigMap": (r) => {
    const data = (r.inputs.data ?? {}) as Record<string, unknown>;
    return Object.entries(data).flatMap(([key, value]) => (text(value) ? [{ path: `kubernetes/${r.name}/${key}`, content: value as string }] : []));
  },
  "kubernetes:helm.sh/v3:Release": (r) => [{ path: `helm/${r.name}.values.yaml`, content: stringify(r.inputs.values ?? {}) }],
  "aws:amp/scraper:Scraper": (r) => (text(r.inputs.scrapeConfiguration) ? [{ path: `scraper/${r.name}.yaml`, content: r.inputs.scrapeConfiguration as string }] : []),
  "aws:amp/ruleGroupNamespace:RuleGroupNamespace": (r) => (text(r.inputs.data) ? [{ path: `rules/${accountOf(r)}/${r.inputs.name ?? r.name}.yaml`, content: r.inputs.data as string }] : []),
  "aws:amp/alertManagerDefinition:AlertManagerDefinition": (r) => (text(r.inputs.definition) ? [{ path: `alertmanager/${r.name}.yaml`, content: r.inputs.definition as string }] : []),
  // Files a self-hosted hub's tasks load (Prometheus, Alertmanager, Grafana, exporter configs).
  "aws:s3/bucketObjectv2:BucketObjectv2": (r) => (text(r.inputs.content) && text(r.inputs.key) ? [{ path: `files/${r.inputs.key as string}`, content: r.inputs.content as string }] : []),
  "grafana:oss/dashboard:Dashboard": (r) => jsonFile(`grafana/dashboards/${r.name}.json`, r.inputs.configJson),
  "grafana:oss/dataSource:DataSource": (r) => jsonFile(`grafana/datasources/${r.name}.json`, {
    uid: r.inputs.uid, name: r.inputs.name, type: r.inputs.type, url: r.inputs.url,
    jsonData: r.inputs.jsonDataEncoded ? JSON.parse(r.inputs.jsonDataEncoded as string) : undefined,
  }),
  "aws:iam/role:Role": (r) => jsonFile(`iam/${r.name}.trust.json`, r.inputs.assumeRolePolicy),
  "aws:iam/rolePolicy:RolePolicy": (r) => jsonFile(`iam/${r.name}.policy.json`, r.inputs.policy),
  "aws:iam/policy:Policy": (r) => jsonFile(`iam/${r.name}.policy.json`, r.inputs.policy),
  "aws:kms/key:Key": (r) => jsonFile(`iam/${r.name}.key-policy.json`, r.inputs.policy),
  "aws:sns/topicPolicy:TopicPolicy": (r) => jsonFile(`iam/${r.name}.topic-policy.json`, r.inputs.policy),
  "aws:sqs/queuePolicy:QueuePolicy": (r) => jsonFile(`iam/${r.name}.queue-policy.json`, r.inputs.policy),
  "aws:cloudwatch/eventBusPolicy:EventBusPolicy": (r) => jsonFile(`iam/${r.name}.bus-policy.json`, r.inputs.policy),
  "aws:ec2/vpcEndpoint:VpcEndpoint": (r) => jsonFile(`iam/${r.name}.endpoint-policy.json`, r.inputs.policy),
  "aws:cloudwatch/eventRule:EventRule": (r) => jsonFile(`events/${r.name}.pattern.json`, r.inputs.eventPattern),
};

/** Every document, each in a file of its own: two documents on one path are an error, never an overwrite. */
export function extractArtifacts(resources: ResourceRecord[]): Artifact[] {
  const owners = new Map<string, string>();
  return resources.flatMap((record) => (extractors[record.type]?.(record) ?? []).map((artifact) => {
    const owner = owners.get(artifact.path);
    if (owner !== undefined) {
      throw new Error(`artifact ${artifact.path} would hold the documents of both ${owner} and ${record.urn}: give each its own file name`);
    }
    owners.set(artifact.path, record.urn);
    return artifact;
  }));
}
