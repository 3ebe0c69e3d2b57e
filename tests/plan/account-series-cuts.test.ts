/**
 * An account's collector cuts only what the account's own rules cannot read: the cuts are
 * derived per account from its rules as its selector overrides write them (and the dashboards
 * showing its series), carried in its record, and rendered into its collector's filter. With the
 * default selectors they are exactly COLLECTOR_SERIES_CUTS.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { COLLECTOR_SERIES_CUTS, SeriesCut, seriesCutRelabelRules } from "../../components/workload-collector/series-cuts";
import { PlannedStack } from "../../stacks/plan/plan";
import { planIntoFolder } from "../../stacks/plan/run-plan";
import { PROJECT_DIR } from "../support/org-model";
import { ofType } from "../support/plans";

const ENVIRONMENT = "dev";

/** "metric label keep:a|b" / "metric label drop:re", one line per metric, sorted. */
function flatten(cuts: readonly SeriesCut[]): string[] {
  return cuts.flatMap((cut) => cut.metrics.map((metric) => `${metric} ${cut.label} ${cut.keep ? `keep:${[...cut.keep].sort().join("|")}` : `drop:${cut.drop}`}`)).sort();
}

function shippedFilter(stack: PlannedStack): object[] {
  const [configMap] = ofType(stack, "kubernetes:core/v1:ConfigMap");
  const config = parse((configMap.inputs.data as Record<string, string>)["prometheus.yml"]) as { remote_write: Array<{ write_relabel_configs: object[] }> };
  return config.remote_write[0].write_relabel_configs;
}

describe("plan (dev): each account's series cuts follow its own rule selectors", function () {
  this.timeout(240_000);
  let project: string;
  let out: string;
  let stacks: Record<string, PlannedStack>;

  before(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "series-cuts-project-"));
    out = fs.mkdtempSync(path.join(os.tmpdir(), "series-cuts-out-"));
    const file = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${ENVIRONMENT}.yaml`), "utf8")) as { config: Record<string, any> };
    const payments = (file.config["observability:workloads"] as Array<Record<string, any>>).find((w) => w.name === "payments")!;
    // kube-state-metrics under another job name, and RED rules that count every handler.
    payments.rules = { ...(payments.rules ?? {}), selectors: { ...(payments.rules?.selectors ?? {}), kubeStateMetrics: 'job="ksm"', httpServices: 'service!=""' } };
    fs.writeFileSync(path.join(project, `Pulumi.${ENVIRONMENT}.yaml`), stringify(file));
    const run = await planIntoFolder(project, { environment: ENVIRONMENT, outDir: out, policy: false });
    stacks = Object.fromEntries(run.plan.stacks.map((s) => [s.stack, s]));
  });
  after(() => {
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("carries the account's own cuts in its record: its kube-state-metrics job kept, no probe cut its rules would miss", () => {
    const record = (stacks["dev-hub-payments"].outputs.workloads as Record<string, { seriesCuts: SeriesCut[] }>).payments;
    const lines = flatten(record.seriesCuts);
    expect(lines).to.include("kube_pod_owner job keep:ksm");
    expect(lines.filter((line) => line.includes("keep:kube-state-metrics"))).to.deep.equal([]);
    expect(lines.filter((line) => line.includes(" handler "))).to.deep.equal([]);
    // Everything else is the default table's.
    const unaffected = (line: string) => !line.includes(" job keep:") && !line.includes(" handler ");
    expect(lines.filter(unaffected)).to.deep.equal(flatten(COLLECTOR_SERIES_CUTS).filter(unaffected));
  });

  it("renders those cuts into the account's collector, and the default table for an account with the default selectors", () => {
    const payments = shippedFilter(stacks["dev-payments"]);
    const record = (stacks["dev-hub-payments"].outputs.workloads as Record<string, { seriesCuts: SeriesCut[] }>).payments;
    expect(payments.slice(-seriesCutRelabelRules(record.seriesCuts).length)).to.deep.equal(seriesCutRelabelRules(record.seriesCuts));
    expect(JSON.stringify(payments)).to.contain("ksm");
    const otherName = Object.keys(stacks).find((name) => name.startsWith("dev-hub-") && name !== "dev-hub-payments")!;
    const other = Object.values(stacks[otherName].outputs.workloads as Record<string, { seriesCuts: SeriesCut[] }>)[0];
    expect(flatten(other.seriesCuts)).to.deep.equal(flatten(COLLECTOR_SERIES_CUTS));
  });
});
