/**
 * AWS Region codes this program can deploy to, and where the hub's services are offered.
 *
 * Source: the AWS SDK endpoint model (botocore `data/endpoints.json`, August 2026): the
 * regions of the `aws`, `aws-cn` and `aws-us-gov` partitions, and the regions listing an
 * endpoint for `aps` (Amazon Managed Service for Prometheus) and `grafana` (Amazon Managed
 * Grafana). The regions agree with the `Region` enum of the pinned `@pulumi/aws` and with
 * "AWS Region billing codes" and "Amazon Managed Grafana endpoints and quotas" of the AWS
 * General Reference; a test keeps the first list in step with `@pulumi/aws`.
 */

export const AWS_REGIONS: readonly string[] = [
  // aws
  "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
  "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
  "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
  "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
  "us-west-1", "us-west-2",
  // aws-cn
  "cn-north-1", "cn-northwest-1",
  // aws-us-gov
  "us-gov-east-1", "us-gov-west-1",
];

/** Regions with Amazon Managed Service for Prometheus (every commercial and GovCloud region; not China). */
export const AMP_REGIONS: readonly string[] = AWS_REGIONS.filter((region) => !region.startsWith("cn-"));

/** Regions with Amazon Managed Grafana. */
export const MANAGED_GRAFANA_REGIONS: readonly string[] = [
  "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "eu-central-1", "eu-west-1",
  "eu-west-2", "us-east-1", "us-east-2", "us-west-2", "us-gov-east-1", "us-gov-west-1",
];

/** Regions that can hold a hub: it needs both AMP workspaces and a Managed Grafana workspace. */
export const HUB_REGIONS: readonly string[] = MANAGED_GRAFANA_REGIONS.filter((region) => AMP_REGIONS.includes(region));
