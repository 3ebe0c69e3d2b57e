/**
 * The Grafana automation token must never be the one that expired: each half-lifetime
 * window has its own token name, so the first run in a window replaces it.
 */
import { expect } from "chai";
import { tokenRotation } from "../../components/observability-hub/token-rotation";
import { ofType, planOf } from "../support/plans";

const DAY = 24 * 3600 * 1000;

describe("Grafana token rotation", () => {
  it("keeps one token name through a window and changes it at the window's end", () => {
    const start = tokenRotation(new Date("2026-11-29T12:00:00Z"), 30);
    expect(tokenRotation(new Date(start.windowStart.getTime() + 1), 30).tokenName).to.equal(start.tokenName);
    expect(tokenRotation(new Date(start.nextRotation.getTime() - 1), 30).tokenName).to.equal(start.tokenName);
    expect(tokenRotation(start.nextRotation, 30).tokenName).not.to.equal(start.tokenName);
    expect(start.nextRotation.getTime() - start.windowStart.getTime()).to.equal(15 * DAY);
  });

  it("leaves at least half the lifetime on the token in use at any run, for every allowed TTL", () => {
    for (let ttl = 2; ttl <= 30; ttl++) {
      for (const hoursIn of [0, 1, 100, 400, 719]) {
        const now = new Date(Date.UTC(2026, 10, 1) + hoursIn * 3600 * 1000);
        const rotation = tokenRotation(now, ttl);
        const expires = rotation.windowStart.getTime() + rotation.secondsToLive * 1000;
        expect(expires - now.getTime(), `ttl ${ttl}, ${hoursIn} h`).to.be.at.least((ttl / 2) * DAY);
      }
    }
  });

  it("refuses lifetimes AMG or the rotation cannot honour", () => {
    expect(() => tokenRotation(new Date(), 31)).to.throw(/at most 30/);
    expect(() => tokenRotation(new Date(), 1)).to.throw(/2-30/);
  });

  for (const environment of ["dev", "prod"]) {
    it(`${environment}: the planned token is the current window's and the hub says when it rotates next`, async () => {
      const hub = (await planOf(environment)).stacks[0];
      const [token] = ofType(hub, "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken");
      const match = /^pulumi-automation-(\d{4}-\d{2}-\d{2})$/.exec(token.inputs.name as string);
      expect(match, `token name ${token.inputs.name}`).to.not.equal(null);
      const windowStart = new Date(`${match![1]}T00:00:00Z`).getTime();
      const rotatesAt = new Date(hub.outputs.grafanaTokenRotatesAt as string).getTime();
      const ttlMs = (token.inputs.secondsToLive as number) * 1000;
      expect(windowStart).to.be.at.most(Date.now());
      expect(rotatesAt).to.be.greaterThan(windowStart);
      expect(windowStart + ttlMs - rotatesAt, "the old token outlives its window by half its life").to.be.at.least(ttlMs / 2 - DAY);
    });
  }
});
