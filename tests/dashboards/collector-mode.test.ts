/** A managed-scraper account gets no collector-health dashboard: its collector exports none of the metrics it charts. */
import { expect } from "chai";
import { hubSide, ofType, planOf } from "../support/plans";

describe("prod: account dashboards follow the collector", () => {
  it("deploys the collector-health dashboard for Prometheus collectors only", async () => {
    const hub = hubSide(await planOf("prod"));
    const uids = ofType(hub, "grafana:oss/dashboard:Dashboard").map((d) => JSON.parse(d.inputs.configJson as string).uid as string);
    const of = (account: string) => uids.filter((uid) => uid.startsWith(`prod-${account}-`)).sort();
    expect(of("payments")).to.include("prod-payments-collector");
    expect(of("search")).not.to.include("prod-search-collector");
    expect(of("search")).to.deep.equal(of("payments").filter((uid) => uid !== "prod-payments-collector").map((uid) => uid.replace("payments", "search")));
  });
});
