import { expect } from "chai";
import { NEAR_RATIO, QUOTAS } from "../../stacks/preflight/catalog";
import { requestedValue, statusOf } from "../../stacks/preflight/quotas";

describe("preflight quota catalog", () => {
  it("gives every quota a default, a source page and how firmly it was checked", () => {
    for (const q of Object.values(QUOTAS)) {
      expect(q.defaultLimit("eu-west-1"), q.id).to.be.greaterThan(0);
      expect(q.source, q.id).to.match(/quotas/i);
      expect(["aws-doc", "secondary", "unconfirmed"], q.id).to.include(q.verified);
      if (q.verified !== "aws-doc") expect(q.note ?? "", `${q.id} says why it is not confirmed`).to.not.equal("");
      if (q.maximum !== undefined) expect(q.maximum, q.id).to.be.greaterThan(q.defaultLimit("eu-west-1"));
    }
  });

  it("uses the region-specific EventBridge rule quota", () => {
    expect(QUOTAS["eventbridge-rules"].defaultLimit("eu-west-1")).to.equal(300);
    expect(QUOTAS["eventbridge-rules"].defaultLimit("eu-south-1")).to.equal(100);
    expect(QUOTAS["eventbridge-rules"].defaultLimit("af-south-1")).to.equal(100);
  });

  it("is near from 80 % of the limit, at the limit included, and exceeds only above it", () => {
    expect(NEAR_RATIO).to.equal(0.8);
    expect(statusOf(19, 25)).to.equal("ok");
    expect(statusOf(20, 25)).to.equal("near");
    expect(statusOf(25, 25)).to.equal("near");
    expect(statusOf(26, 25)).to.equal("exceeds");
  });

  it("asks for the usage with 20 % headroom, capped at the quota's maximum", () => {
    expect(requestedValue(1000, {})).to.equal(1250);
    expect(requestedValue(26, {})).to.equal(33);
    expect(requestedValue(4500, { maximum: 5000 })).to.equal(5000);
  });
});
