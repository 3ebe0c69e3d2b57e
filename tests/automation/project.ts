/**
 * Temporary project directories: the committed Pulumi.yaml, the policy pack's descriptor and
 * reviewed config, the project's node_modules (a link: the pack's runtime resolves from
 * them), and an organisation model (the committed one, or one derived from it).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { PROJECT_DIR, hubRawConfig } from "../support/org-model";

export { hubRawConfig };

function newProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "deploy-test-"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  // The driver passes the pack with its config on every run and refuses to start without it.
  mkdirSync(join(dir, "policies"));
  for (const file of ["PulumiPolicy.yaml", "policy-config.json"]) {
    copyFileSync(join(PROJECT_DIR, "policies", file), join(dir, "policies", file));
  }
  // As after `npm ci` (removing the copy removes the link, not the modules).
  symlinkSync(join(PROJECT_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

export function writeProject(raw: Record<string, unknown>, environment = "dev"): string {
  const dir = newProject();
  writeModel(dir, raw, environment);
  return dir;
}

/** Writes (or rewrites) the project's `Pulumi.<environment>.yaml` from `observability:*` keys without the namespace. */
export function writeModel(dir: string, raw: Record<string, unknown>, environment = "dev"): void {
  const config: Record<string, unknown> = { "pulumi:disable-default-providers": ["*"] };
  for (const [key, value] of Object.entries(raw)) config[`observability:${key}`] = value;
  writeFileSync(join(dir, `Pulumi.${environment}.yaml`), stringify({ config }));
}

/** A copy of the project with the committed `Pulumi.<environment>.yaml` as it is. */
export function copyProject(environment: string): string {
  const dir = newProject();
  copyFileSync(join(PROJECT_DIR, `Pulumi.${environment}.yaml`), join(dir, `Pulumi.${environment}.yaml`));
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

/** An account's entry of the committed `Pulumi.<environment>.yaml`, as the driver passes it to the account's hub stack. */
export function entryOf(environment: string, account: string): { name: string } {
  const entry = hubRawConfig(environment).workloads.find((w: { name: string }) => w.name === account);
  if (!entry) throw new Error(`no account ${account} in Pulumi.${environment}.yaml`);
  return entry;
}
