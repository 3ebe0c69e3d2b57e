import { expect } from "chai";
import * as grafana from "@pulumiverse/grafana";
import {
  AccountDashboards,
  prometheusExpressions,
  RenderedDashboard,
  renderAccountDashboards,
  renderCrossAccountDashboards,
} from "../../components/dashboards";
import { metricNamesIn } from "../../components/promql";
import { KNOWN_AT_DEPLOY } from "../../stacks/plan/mocks";
import { StackRun } from "../../stacks/plan/run-stack";
import { ofType, outputValue, providerUrn, runUnderPlanMocks } from "../support/components-under-plan";

interface Target {
  refId: string;
  expr?: string;
  datasource?: { type: string; uid: string };
  dimensions?: Record<string, string>;
  namespace?: string;
  metricName?: string;
  label?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig?: { defaults?: { thresholds?: { steps: Array<{ value: number | null }> } } };
}
interface Model {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: string; datasource?: { uid: string } }> };
}

const model = (d: RenderedDashboard): Model => JSON.parse(d.json) as Model;
const panelsOf = (d: RenderedDashboard) => model(d).panels.filter((p) => p.type !== "row");

const account = { environment: "prod", accountName: "payments", prometheusDatasourceUid: "prod-payments-amp" };
const workspaces = Array.from({ length: 30 }, (_, i) => ({
  accountName: `account-${String(i).padStart(2, "0")}`,
  workspaceId: `ws-${String(i).padStart(8, "0")}-0000-4000-8000-000000000000`,
}));
const hub = { environment: "prod", unifiedDatasourceUid: "all-accounts-prod", hubCloudwatchDatasourceUid: "prod-hub-cloudwatch", workspaces };

describe("dashboards as code", () => {
  const accountDashboards = renderAccountDashboards(account);
  const hubDashboards = renderCrossAccountDashboards(hub);
  const all = [...accountDashboards, ...hubDashboards];

  it("renders four dashboards per account and two hub dashboards, with stable short unique uids", () => {
    expect(accountDashboards.map((d) => d.uid)).to.deep.equal(["prod-payments-cluster", "prod-payments-nodes", "prod-payments-workloads", "prod-payments-collector"]);
    expect(hubDashboards.map((d) => d.uid)).to.deep.equal(["prod-all-accounts", "prod-amp-usage"]);
    for (const d of all) {
      expect(d.uid.length, d.uid).to.be.at.most(40);
      expect(model(d).uid).to.equal(d.uid);
      expect(model(d).title).to.equal(d.title);
    }
    expect(renderAccountDashboards(account)).to.deep.equal(accountDashboards);
    expect(renderCrossAccountDashboards({ ...hub, workspaces: [...workspaces].reverse() })).to.deep.equal(hubDashboards);
    const panelCount = all.reduce((sum, d) => sum + panelsOf(d).length, 0);
    console.log(`      ${all.length} dashboards (${accountDashboards.length} per account + ${hubDashboards.length} hub), ${panelCount} panels`);
  });

  it("gives every panel a unique id, a grid position and queries with unique refIds", () => {
    for (const d of all) {
      const ids = model(d).panels.map((p) => p.id);
      expect(new Set(ids).size, d.uid).to.equal(ids.length);
      for (const panel of panelsOf(d)) {
        expect(panel.gridPos.w, panel.title).to.be.within(1, 24);
        const refIds = (panel.targets ?? []).map((t) => t.refId);
        expect(refIds.length, `${d.uid} / ${panel.title} has no query`).to.be.greaterThan(0);
        expect(new Set(refIds).size, panel.title).to.equal(refIds.length);
        expect(refIds.every((r) => /^[A-Z]+$/.test(r)), refIds.join(",")).to.equal(true);
      }
    }
  });

  it("puts every account panel on the account's data source and templates account, cluster and namespace", () => {
    for (const d of accountDashboards) {
      for (const panel of panelsOf(d)) {
        expect(panel.datasource, panel.title).to.deep.equal({ type: "prometheus", uid: "prod-payments-amp" });
        for (const t of panel.targets ?? []) expect(t.expr, panel.title).to.include('account="$account"').and.include('cluster="$cluster"');
      }
      const variables = model(d).templating.list;
      expect(variables.find((v) => v.name === "account")).to.include({ type: "constant", query: "payments" });
      expect(variables.find((v) => v.name === "cluster")).to.include({ type: "query", query: 'label_values(up{account="$account"}, cluster)' });
    }
    const workloads = model(accountDashboards[2]);
    expect(workloads.templating.list.map((v) => v.name)).to.deep.equal(["account", "cluster", "namespace"]);
    for (const panel of workloads.panels.filter((p) => p.type !== "row")) {
      for (const t of panel.targets ?? []) expect(t.expr, panel.title).to.include('namespace="$namespace"');
    }
  });

  it("uses $__rate_interval for every rate over the dashboard's range", () => {
    for (const e of all.flatMap(prometheusExpressions)) {
      for (const match of e.expr.matchAll(/\b(rate|irate)\([^[]*\[([^\]]+)\]/g)) {
        expect(match[2], `${e.dashboardUid} / ${e.source}: ${e.expr}`).to.equal("$__rate_interval");
      }
    }
  });

  it("parses every Prometheus expression with the official grammar", () => {
    const exprs = all.flatMap(prometheusExpressions);
    expect(exprs.length).to.be.greaterThan(50);
    for (const e of exprs) expect(() => metricNamesIn(e.expr), `${e.dashboardUid} / ${e.source}`).to.not.throw();
  });

  it("follows the RED convention for service panels", () => {
    const red = all.flatMap(prometheusExpressions).filter((e) => /^(Request rate|Error ratio|p99 latency) by service$/.test(e.source));
    expect(red.length).to.be.greaterThan(4);
    for (const e of red) {
      const names = metricNamesIn(e.expr);
      expect(names.every((n) => n === "http_requests_total" || n === "http_request_duration_seconds_bucket"), e.expr).to.equal(true);
    }
    const errors = red.filter((e) => /error/i.test(e.source));
    for (const e of errors) expect(e.expr).to.include('code=~"5.."');
  });

  describe("cross-account overview", () => {
    const overview = model(hubDashboards[0]);

    it("reads only the unified data source and keeps the account label in every aggregation", () => {
      for (const panel of overview.panels.filter((p) => p.type !== "row")) {
        expect(panel.datasource, panel.title).to.deep.equal({ type: "prometheus", uid: "all-accounts-prod" });
        for (const t of panel.targets ?? []) {
          const byClauses = [...(t.expr ?? "").matchAll(/by \(([^)]*)\)/g)].map((m) => m[1]);
          for (const by of byClauses) expect(by, t.expr).to.match(/\baccount\b/);
        }
      }
      expect(overview.templating.list.map((v) => [v.name, v.query])).to.deep.equal([
        ["account", "label_values(up, account)"],
        ["cluster", 'label_values(up{account=~"$account"}, cluster)'],
      ]);
    });

    it("shows CPU and memory by account and cluster, and firing alerts by account and severity", () => {
      const exprByTitle = new Map(overview.panels.flatMap((p) => (p.targets ?? []).map((t) => [p.title, t.expr] as const)));
      expect(exprByTitle.get("CPU by account and cluster")).to.match(/^sum by \(account, cluster\) \(rate\(container_cpu_usage_seconds_total/);
      expect(exprByTitle.get("Memory by account and cluster")).to.match(/^sum by \(account, cluster\) \(container_memory_working_set_bytes/);
      expect(exprByTitle.get("Firing alerts by account and severity")).to.equal('count by (account, severity) (ALERTS{alertstate="firing", account=~"$account"})');
    });
  });

  describe("AMP usage", () => {
    const usage = model(hubDashboards[1]);

    it("reads AWS/Usage ResourceCount per workspace from the hub's CloudWatch, with the quota as a threshold", () => {
      const [activeSeries, ingestion] = usage.panels.filter((p) => p.type !== "row");
      for (const [panel, resource, quota] of [
        [activeSeries, "ActiveSeries", 10_000_000],
        [ingestion, "IngestionRate", 170_000],
      ] as const) {
        expect(panel.datasource).to.deep.equal({ type: "cloudwatch", uid: "prod-hub-cloudwatch" });
        expect(panel.targets).to.have.length(workspaces.length);
        expect(panel.targets!.map((t) => t.label)).to.deep.equal(workspaces.map((w) => w.accountName));
        for (const [i, t] of panel.targets!.entries()) {
          expect(t).to.include({ namespace: "AWS/Usage", metricName: "ResourceCount" });
          expect(t.dimensions).to.deep.equal({ Service: "Prometheus", Type: "Resource", Class: "None", Resource: resource, ResourceId: workspaces[i].workspaceId });
        }
        expect(panel.fieldConfig?.defaults?.thresholds?.steps.map((s) => s.value)).to.deep.equal([null, quota]);
      }
      // 30 workspaces: refIds run past Z.
      expect(activeSeries.targets!.map((t) => t.refId).slice(24, 28)).to.deep.equal(["Y", "Z", "AA", "AB"]);
    });

    it("takes quota overrides", () => {
      const custom = model(renderCrossAccountDashboards({ ...hub, quotas: { activeSeries: 20_000_000, ingestionSamplesPerSecond: 340_000 } })[1]);
      const steps = custom.panels.filter((p) => p.type !== "row").map((p) => p.fieldConfig?.defaults?.thresholds?.steps[1].value);
      expect(steps).to.deep.equal([20_000_000, 340_000]);
    });
  });

  it("refuses settings that would render broken dashboards", () => {
    expect(() => renderAccountDashboards({ ...account, accountName: "an-account-name-far-too-long-for-uids" })).to.throw(/longer than 40/);
    expect(() => renderAccountDashboards({ ...account, prometheusDatasourceUid: "" })).to.throw(/prometheusDatasourceUid/);
    expect(() => renderCrossAccountDashboards({ ...hub, workspaces: [] })).to.throw(/no workspaces/);
    expect(() => renderCrossAccountDashboards({ ...hub, workspaces: [workspaces[0], { ...workspaces[1], workspaceId: workspaces[0].workspaceId }] })).to.throw(
      /listed twice/,
    );
  });

  describe("AccountDashboards under the plan's mocks", () => {
    let run: StackRun;
    let component: AccountDashboards;

    before(async () => {
      run = await runUnderPlanMocks(() => {
        const provider = new grafana.Provider("grafana", { url: "https://g-abc.grafana-workspace.eu-west-1.amazonaws.com", auth: "token" });
        component = new AccountDashboards("payments-dashboards", { ...account, grafanaProvider: provider, folderUid: "prod-payments" });
        return { urls: component.urls };
      }, { accountId: "111122223333", region: "eu-west-1" });
    });

    it("deploys each rendered dashboard into the account folder, overwriting, with the exact JSON, through the given provider", () => {
      const dashboards = ofType(run.resources, "grafana:oss/dashboard:Dashboard");
      expect(dashboards).to.have.length(4);
      for (const [i, d] of dashboards.entries()) {
        expect(d.inputs).to.include({ folder: "prod-payments", overwrite: true, configJson: accountDashboards[i].json });
        expect(d.provider).to.equal(providerUrn(run.resources, "pulumi:providers:grafana", "grafana"));
      }
      expect(run.invokes, "no data-source lookups").to.deep.equal([]);
    });

    it("outputs each dashboard's URL (given by Grafana at deploy) by uid", async () => {
      const urls = await outputValue(component.urls);
      expect(Object.keys(urls)).to.deep.equal(accountDashboards.map((d) => d.uid));
      expect(urls).to.deep.equal(Object.fromEntries(accountDashboards.map((d) => [d.uid, KNOWN_AT_DEPLOY])));
      expect(run.outputs.urls).to.deep.equal(urls);
    });
  });
});
