/** Temporary project directories holding an organisation model derived from the committed one. */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { PROJECT_DIR, hubRawConfig } from "../support/org-model";

export { hubRawConfig };

export function writeProject(raw: Record<string, unknown>, environment = "dev"): string {
  const dir = mkdtempSync(join(tmpdir(), "deploy-test-"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const config: Record<string, unknown> = { "pulumi:disable-default-providers": ["*"] };
  for (const [key, value] of Object.entries(raw)) config[`observability:${key}`] = value;
  writeFileSync(join(dir, `Pulumi.${environment}.yaml`), stringify({ config }));
  return dir;
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The dev model with `count` demo-cluster workload accounts instead of the committed ones. */
export function modelWithWorkloads(count: number): Record<string, any> {
  const raw = hubRawConfig("dev");
  const demo = raw.workloads.find((w: any) => w.clusters.some((c: any) => c.create !== undefined));
  raw.workloads = Array.from({ length: count }, (_, i) => {
    const accountId = String(510987654300 + i);
    return {
      ...JSON.parse(JSON.stringify(demo)),
      name: `acct${i}`,
      accountId,
      deployRoleArn: `arn:aws:iam::${accountId}:role/observability-deploy`,
      team: `team${i}`,
      clusters: [{ name: `acct${i}-demo`, create: { instanceType: "t3.medium", desiredCapacity: 1 } }],
    };
  });
  return raw;
}
