import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../support/org-model";

const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");

describe("documented policy commands", () => {
  it("both READMEs pass the project's reviewed config, policies/policy-config.json, to pulumi preview", () => {
    for (const file of ["README.md", "policies/README.md"]) {
      const configs = [...read(file).matchAll(/--policy-pack-config (\S+?)[`\s]/g)].map((m) => m[1]);
      expect(configs, file).to.not.be.empty;
      expect([...new Set(configs)], file).to.deep.equal(["policies/policy-config.json"]);
    }
  });

  it("the README's offline command names one environment's plan folder, where npm run plan writes it", () => {
    expect(read("README.md")).to.include("npm run policy -- out/dev ");
    expect(read("README.md")).to.include("`out/<env>/<stack>/resources.json`");
    expect(read("policies/README.md")).to.include("npm run policy -- out/<env>");
  });
});
