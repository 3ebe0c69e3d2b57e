import { expect } from "chai";
import { Region } from "@pulumi/aws/types/enums";
import { accountAlertRouting, unroutedTeams } from "../../stacks/config/alert-coverage";
import { AMP_REGIONS, AWS_REGIONS, HUB_REGIONS, MANAGED_GRAFANA_REGIONS } from "../../stacks/config/regions";
import { validateHubConfig, validateWorkloadStackConfig } from "../../stacks/config/validate";
import { closestMatch } from "../../stacks/config/suggest";
import { runStackUnderMocks, StackRunError } from "../../stacks/plan/run-stack";
import { readStackConfig } from "../../stacks/plan/stack-files";
import { expectConfigError, HubConfigCase, itRejectsHubConfig } from "../support/config-errors";
import { hubRawConfig, PROJECT_DIR } from "../support/org-model";

describe("config refusals: values that were accepted but wrong", () => {
  describe("AMP-only collector settings under a self-hosted hub", () => {
    const cases: HubConfigCase[] = [
      ["the managed scraper, which writes only to AMP workspaces", (r) => { r.workloads[1].collector = { mode: "managed-scraper" }; r.workloads[1].clusters[0].subnetIds = ["subnet-0a1b2c3d4e5f60711"]; },
        "observability:workloads[1].collector.mode", /writes only to AMP workspaces, but hub.backend is self-hosted/],
      ["an aps-workspaces VPC endpoint, which would carry nothing", (r) => { r.workloads[0].clusters[0].vpcEndpoint = { vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60711"], allowedCidrs: ["10.20.0.0/16"] }; },
        "observability:workloads[0].clusters[0].vpcEndpoint", /a self-hosted hub does not use, so it would be ignored/],
      ["no organisation id, which the hub key and the exporter's role scope by", (r) => { delete r.hub.organizationId; },
        "observability:hub.organizationId", /is required with hub.backend: self-hosted.*adding an account changes nothing in the shared hub stack/],
    ];
    itRejectsHubConfig("selfhosted", cases);

    it("says where to put the organisation id", () => {
      const raw = hubRawConfig("selfhosted");
      delete raw.hub.organizationId;
      expect(() => validateHubConfig("selfhosted", raw)).to.throw(
        /stack "selfhosted": config key "observability:hub\.organizationId": .*Fix: set observability:hub\.organizationId in Pulumi\.selfhosted\.yaml to your AWS Organizations id/);
    });

    it("says what to do: use the collector chart, or the managed backend", () => {
      const raw = hubRawConfig("selfhosted");
      raw.workloads[1].collector = { mode: "managed-scraper" };
      raw.workloads[1].clusters[0].subnetIds = ["subnet-0a1b2c3d4e5f60711"];
      expect(() => validateHubConfig("selfhosted", raw)).to.throw(
        /stack "selfhosted": config key "observability:workloads\[1\]\.collector\.mode": .*Fix: set observability:workloads\[1\]\.collector\.mode to prometheus .*or set observability:hub\.backend to managed/);
    });
  });

  describe("unknown observability:* keys", () => {
    const cases: HubConfigCase[] = [
      ["a misspelt top-level key", (r) => { r.unifedQuery = r.unifiedQuery; delete r.unifiedQuery; }, "observability:unifedQuery", /not a setting of a hub stack.*\(did you mean unifiedQuery\?\)/],
      ["a workload stack key in a hub stack file", (r) => { r.accountName = "payments"; }, "observability:accountName", /setting of a workload stack.*no observability:hubStack/],
      ["a key resembling nothing", (r) => { r.colour = "blue"; }, "observability:colour", /^"colour" is not a setting of a hub stack, so it would be ignored$/],
    ];
    itRejectsHubConfig("prod", cases);

    it("names every known key in the fix when nothing is close", () => {
      const raw = hubRawConfig("dev");
      raw.colour = "blue";
      expectConfigError(() => validateHubConfig("dev", raw), "observability:colour", /ignored/);
      try {
        validateHubConfig("dev", raw);
      } catch (error) {
        expect((error as Error).message).to.include("observability:unifiedQuery, observability:alerting, observability:workloads");
      }
    });

    it("says a workload stack file is not a hub stack (as the deploy driver would read one)", () => {
      expectConfigError(() => validateHubConfig("dev-payments", { hubStack: "acme/obs/dev", accountName: "payments" }),
        "observability:hubStack", /Pulumi\.dev-payments\.yaml is a workload stack \(it names hub stack acme\/obs\/dev\), not the hub stack of an environment/);
    });

    it("refuses them in a workload stack too, and hub keys there", () => {
      expectConfigError(() => validateWorkloadStackConfig("dev-payments", { hubStack: "dev", accountName: "payments", acountName: "x" }),
        "observability:acountName", /did you mean accountName\?/);
      expectConfigError(() => validateWorkloadStackConfig("dev-payments", { hubStack: "dev", accountName: "payments", environment: "dev" }),
        "observability:environment", /setting of the hub stack/);
    });

    it("stops prod before anything is declared when unifiedQuery is misspelt (Promxy would have vanished with exit 0)", async () => {
      const config = readStackConfig(PROJECT_DIR, "prod");
      config["observability:unifedQuery"] = config["observability:unifiedQuery"];
      delete config["observability:unifiedQuery"];
      try {
        await runStackUnderMocks({ stack: "prod", config, fallbackTarget: { accountId: "220987654321", region: "eu-west-1" } });
        expect.fail("the program should have refused the config");
      } catch (error) {
        expect((error as Error).message).to.include('config key "observability:unifedQuery"');
        expect((error as Error).message).to.include("did you mean unifiedQuery?");
        expect((error as StackRunError).declared).to.deep.equal([]);
      }
    });

    it("suggests only plausible slips", () => {
      expect(closestMatch("unifedQuery", ["environment", "unifiedQuery"])).to.equal("unifiedQuery");
      expect(closestMatch("workload", ["workloads", "hub"])).to.equal("workloads");
      expect(closestMatch("outt", ["out", "env"])).to.equal("out");
      expect(closestMatch("colour", ["hub", "grafana", "alerting"])).to.equal(undefined);
    });
  });

  describe("regions", () => {
    const cases: HubConfigCase[] = [
      ["a region that does not exist", (r) => { r.hub.region = "eu-west-9"; }, "observability:hub.region", /"eu-west-9" is not an AWS region code \(did you mean eu-west-1\?\).*known: af-south-1/],
      ["a hub region without Managed Grafana", (r) => { r.hub.region = "eu-north-1"; }, "observability:hub.region", /Amazon Managed Grafana is not offered in eu-north-1; use one of .*eu-west-1/],
      ["a hub region in China (neither AMP nor Managed Grafana)", (r) => { r.hub.region = "cn-north-1"; }, "observability:hub.region", /Amazon Managed Service for Prometheus and Amazon Managed Grafana are not offered in cn-north-1/],
    ];
    itRejectsHubConfig("dev", cases);

    it("accepts every hub region", () => {
      for (const region of HUB_REGIONS) {
        const raw = hubRawConfig("dev");
        raw.hub.region = region;
        expect(validateHubConfig("dev", raw).hub.region).to.equal(region);
      }
    });

    it("lists exactly the aws, aws-cn and aws-us-gov regions the pinned AWS provider knows", () => {
      const providerRegions = Object.values(Region).filter((region) => !/-iso[a-z]*-|^eusc-/.test(region));
      expect([...AWS_REGIONS].sort()).to.deep.equal([...providerRegions].sort());
      expect(MANAGED_GRAFANA_REGIONS.every((region) => AMP_REGIONS.includes(region))).to.equal(true);
    });
  });

  describe("scrape intervals", () => {
    const cases: HubConfigCase[] = [
      ["a zero scrape interval", (r) => { r.workloads[0].collector.scrapeInterval = "0s"; }, "observability:workloads[0].collector.scrapeInterval", /"0s" is not a usable scrape interval: use .* from 1s to 2m/],
      ["an hourly scrape interval", (r) => { r.workloads[0].collector.scrapeInterval = "1h"; }, "observability:workloads[0].collector.scrapeInterval", /"1h" is not a usable scrape interval/],
      ["a scrape interval that is not a duration", (r) => { r.workloads[0].collector.scrapeInterval = "often"; }, "observability:workloads[0].collector.scrapeInterval", /"often" is not a usable scrape interval/],
    ];
    itRejectsHubConfig("dev", cases);

    it("accepts 1s and 2m", () => {
      for (const interval of ["1s", "2m"]) {
        const raw = hubRawConfig("dev");
        raw.workloads[0].collector.scrapeInterval = interval;
        expect(validateHubConfig("dev", raw).workloads[0].collector.scrapeInterval).to.equal(interval);
      }
    });
  });

  describe("alert routing", () => {
    const cases: HubConfigCase[] = [
      ["a team whose warning and info alerts reach no destination", (r) => { r.alerting.routes[1].teams = ["platform", "observability", "data"]; },
        "observability:alerting.routes", /alerts of team "search" \(account search\) with severity warning \(from AMP rules and CloudWatch alarms\), info \(from AMP rules\) reach no destination/],
      ["a team whose error alarms reach no destination", (r) => {
        r.alerting.routes = [
          { destination: "slack-payments", teams: ["payments"], severities: ["critical", "warning", "info"] },
          { destination: "slack-platform", teams: ["platform", "observability", "search", "data"] },
          { destination: "pagerduty-oncall", severities: ["critical"] },
          { destination: "jira-ops", severities: ["critical"] },
        ];
      }, "observability:alerting.routes", /team "payments" \(account payments\) with severity error \(from CloudWatch alarms\) reach no destination/],
    ];
    itRejectsHubConfig("prod", cases);

    it("names the team and only the severities left without a destination", () => {
      expect(unroutedTeams(validateHubConfig("prod", hubRawConfig("prod")))).to.deep.equal([]);
      const raw = hubRawConfig("dev");
      raw.alerting.routes.push({ destination: "slack-dev-alerts", severities: ["critical", "warning"] });
      expectConfigError(() => validateHubConfig("dev", raw), "observability:alerting.routes", /team "payments" \(account payments\) with severity info \(from AMP rules\) reach/);
    });

    it("routes every alert of the committed models the way the notifier will", () => {
      const prod = validateHubConfig("prod", hubRawConfig("prod"));
      const payments = accountAlertRouting(prod, prod.workloads.find((w) => w.name === "payments")!);
      expect(payments.find((k) => k.team === "payments" && k.severity === "critical" && k.source === "amp")!.destinations)
        .to.deep.equal(["slack-payments", "pagerduty-oncall", "jira-ops"]);
      expect(payments.find((k) => k.team === "observability" && k.severity === "warning")!.destinations).to.deep.equal(["slack-platform"]);
    });
  });
});
