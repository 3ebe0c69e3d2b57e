/**
 * One source of truth for metric names: what the dashboards and rules read, parsed with the
 * official PromQL grammar, against what the collector keeps.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { allRuleExpressions, recordingRules } from "../../components/alert-pipeline/rules";
import { prometheusExpressions, WORKSPACE_GENERATED_METRICS } from "../../components/dashboards";
import { projectDashboards } from "../support/project-dashboards";
import { metricNamesIn, metricNamesInAll } from "../../components/promql";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";

const ALLOWLIST_FILE = path.join(__dirname, "../../components/workload-collector/metric-allowlist.ts");

/** String literals of one `const <name> = [...]` section of the allow-list file, read with the TypeScript parser. */
function allowlistSection(name: string): string[] {
  const source = ts.createSourceFile(ALLOWLIST_FILE, fs.readFileSync(ALLOWLIST_FILE, "utf8"), ts.ScriptTarget.ES2022, true);
  let found: string[] | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) {
      if (!node.initializer || !ts.isArrayLiteralExpression(node.initializer)) throw new Error(`${name} is not an array literal`);
      found = node.initializer.elements.map((element) => {
        if (!ts.isStringLiteral(element)) throw new Error(`${name} holds a non-literal element: ${element.getText()}`);
        return element.text;
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found) throw new Error(`section ${name} not found in ${ALLOWLIST_FILE}`);
  return found;
}

const dashboards = projectDashboards();
const dashboardExpressions = dashboards.flatMap(prometheusExpressions);
const generated = new Set(WORKSPACE_GENERATED_METRICS);
const recorded = new Set(recordingRules().map((rule) => rule.record));
/** The allow-list, built inside each test (so mutation testing tries its edits in the running tests). */
const shipped = () => collectorMetricAllowlist();

describe("metric allow-list: one source of truth", () => {
  it("reads many expressions from the dashboards (panels and variables)", () => {
    expect(dashboardExpressions.length).to.be.greaterThan(50);
    expect(dashboardExpressions.some((e) => e.source.startsWith("$"))).to.equal(true);
  });

  it("keeps every metric every dashboard panel and variable reads", () => {
    const kept = new Set(shipped());
    const missing = dashboardExpressions.flatMap((e) =>
      metricNamesIn(e.expr)
        .filter((name) => !generated.has(name) && !kept.has(name))
        .map((name) => `${name} (dashboard ${e.dashboardUid}, ${e.source})`),
    );
    expect(missing, "metrics dashboards read but the collector drops").to.deep.equal([]);
  });

  it("keeps every metric the rules read (recorded series aside)", () => {
    const needed = metricNamesInAll(allRuleExpressions()).filter((name) => !recorded.has(name) && !generated.has(name));
    const kept = new Set(shipped());
    expect(needed.filter((name) => !kept.has(name)), "metrics rules read but the collector drops").to.deep.equal([]);
  });

  it("keeps nothing that no rule, dashboard or documented section needs", () => {
    const used = new Set([...metricNamesInAll(allRuleExpressions()), ...metricNamesInAll(dashboardExpressions.map((e) => e.expr))]);
    const documented = new Set([...allowlistSection("collectorHealth"), ...allowlistSection("userExtensions")]);
    const unneeded = shipped().filter((name) => !used.has(name) && !documented.has(name));
    expect(unneeded, "kept metrics nobody reads: drop them or document them as a user extension").to.deep.equal([]);
  });

  it("lists in forDashboards exactly what the dashboards read from the collector", () => {
    const read = metricNamesInAll(dashboardExpressions.map((e) => e.expr)).filter((name) => !generated.has(name));
    expect([...allowlistSection("forDashboards")].sort()).to.deep.equal(read);
  });

  it("never expects the collector to ship series AMP computes itself", () => {
    const kept = new Set(shipped());
    for (const name of [...generated, ...recorded]) expect(kept.has(name), name).to.equal(false);
  });

  // An empty or malformed entry would add an alternative to the keep regex that no series needs.
  it("holds only valid Prometheus metric names, each once and in order", () => {
    const list = shipped();
    for (const name of list) expect(name, JSON.stringify(name)).to.match(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
    expect([...list]).to.deep.equal([...new Set(list)].sort());
  });

  it("would catch a dashboard metric that is not kept", () => {
    const expr = 'sum(rate(some_new_metric_total{account="$account"}[$__rate_interval]))';
    const kept = new Set(shipped());
    expect(metricNamesIn(expr).filter((name) => !kept.has(name))).to.deep.equal(["some_new_metric_total"]);
  });

  it("reports the figures", () => {
    const distinct = metricNamesInAll(dashboardExpressions.map((e) => e.expr));
    const rulesRead = metricNamesInAll(allRuleExpressions()).filter((name) => !recorded.has(name));
    console.log(
      `      dashboards read ${distinct.length} distinct metric names (${distinct.filter((n) => !generated.has(n)).length} shipped by the collector); ` +
        `rules read ${rulesRead.length}; the allow-list keeps ${shipped().length}`,
    );
    expect(distinct.length).to.be.greaterThan(0);
  });
});
