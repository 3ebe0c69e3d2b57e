/** Without an organisation id some hub documents list every account: validation measures them against AWS's quotas. */
import { expect } from "chai";
import { generatedHubConfig } from "../../bench/generated-org";
import { organisationSizedDocuments } from "../../stacks/config/document-sizes";
import { validateHubConfig } from "../../stacks/config/validate";
import { expectConfigError } from "../support/config-errors";

function rawOf(accounts: number, organizationId: string | undefined): Record<string, any> {
  const config = generatedHubConfig(accounts);
  const raw: Record<string, any> = {};
  for (const [key, value] of Object.entries(config)) if (key.startsWith("observability:")) raw[key.slice("observability:".length)] = JSON.parse(JSON.stringify(value));
  if (organizationId) raw.hub.organizationId = organizationId;
  else delete raw.hub.organizationId;
  return raw;
}

describe("organisation-sized documents", () => {
  it("keep one size with an organisation id, from 10 accounts to 1,000", () => {
    const small = organisationSizedDocuments(validateHubConfig("bench", rawOf(10, "o-a1b2c3d4e5")));
    const large = organisationSizedDocuments(validateHubConfig("bench", rawOf(1000, "o-a1b2c3d4e5")));
    expect(large.map((d) => d.size)).to.deep.equal(small.map((d) => d.size));
    for (const d of large) expect(d.size / d.limit, d.document).to.be.below(0.8);
  });

  it("grow with the accounts without one, and validation refuses the organisation that outgrows a quota, naming hub.organizationId", () => {
    const config = validateHubConfig("bench", rawOf(100, undefined));
    const grafana = organisationSizedDocuments(config).find((d) => d.quota === "iam-role-inline-policies")!;
    expect(grafana.size).to.be.above(organisationSizedDocuments(validateHubConfig("bench", rawOf(10, undefined)))[0].size);
    expectConfigError(() => validateHubConfig("bench", rawOf(300, undefined)), "observability:hub.organizationId", /Grafana workspace role's inline policy .* over AWS's limit of 10240/);
  });
});
