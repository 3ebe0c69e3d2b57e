import { expect } from "chai";
import { SECONDS_PER_MONTH, ingestionUsdPerMonth, storageUsdPerMonth } from "../../bench/amp-pricing";

const perSecond = (samplesPerMonth: number) => samplesPerMonth / SECONDS_PER_MONTH;

describe("AMP pricing (bench)", () => {
  it("charges the first 2 billion samples a month at $0.90 per 10 million", () => {
    expect(ingestionUsdPerMonth(perSecond(1e9))).to.be.closeTo(90, 1e-6);
    expect(ingestionUsdPerMonth(perSecond(2e9))).to.be.closeTo(180, 1e-6);
  });

  it("charges the next 250 billion at $0.35 and the rest at $0.16", () => {
    expect(ingestionUsdPerMonth(perSecond(3e9))).to.be.closeTo(180 + 35, 1e-6);
    expect(ingestionUsdPerMonth(perSecond(252e9))).to.be.closeTo(180 + 250e9 / 1e7 * 0.35, 1e-3);
    expect(ingestionUsdPerMonth(perSecond(262e9))).to.be.closeTo(180 + 8750 + 160, 1e-3);
  });

  it("prices storage from samples and series, and nothing for nothing", () => {
    expect(storageUsdPerMonth(0, 0)).to.equal(0);
    expect(storageUsdPerMonth(1000, 10_000)).to.be.greaterThan(storageUsdPerMonth(1000, 0));
  });
});
