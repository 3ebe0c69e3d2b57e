import { expect } from "chai";
import { spawnSync } from "child_process";
import { apr1Hash, derivedSalt, htpasswdLine } from "../../components/unified-query/htpasswd";
import { requireTool } from "../support/tools";

function opensslApr1(password: string, salt: string): string {
  const result = spawnSync("openssl", ["passwd", "-apr1", "-salt", salt, "-stdin"], { input: password, encoding: "utf8", timeout: 10_000 });
  if (result.status !== 0) throw new Error(`openssl passwd failed: ${result.stderr}`);
  return result.stdout.trim();
}

describe("htpasswd for ingress-nginx basic auth", () => {
  describe("apr1Hash against the real openssl", function () {
    before(function () {
      requireTool(this, "openssl", "openssl");
    });

    const cases: Array<[string, string]> = [
      ["p@ss word", "abcdefgh"],
      [" ", "x"],
      ["a", "12345678"],
      ["exactly-sixteen!", "./Ab9"],
      ["a much longer password that spans more than two md5 blocks of input", "zZ09./aB"],
      ["ünïcødé ✓", "salt"],
    ];
    for (const [password, salt] of cases) {
      it(`matches openssl for ${JSON.stringify(password)} / ${salt}`, () => {
        expect(apr1Hash(password, salt)).to.equal(opensslApr1(password, salt));
      });
    }
  });

  it("renders a stable line for the same password and a different one for another", () => {
    const password = "Vq3t8wK2pXz7mN4rL9sB1cD6";
    const line = htpasswdLine("grafana", password);
    expect(line).to.match(/^grafana:\$apr1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{22}$/);
    expect(htpasswdLine("grafana", password)).to.equal(line);
    expect(htpasswdLine("grafana", `${password}x`)).to.not.equal(line);
    expect(line).to.not.include(password);
    expect(line.split("$")[2]).to.equal(derivedSalt(password));
  });

  it("refuses unsafe usernames, short passwords and bad salts", () => {
    expect(() => htpasswdLine("a:b", "0123456789abcdefgh")).to.throw(/username/);
    expect(() => htpasswdLine("grafana", "short")).to.throw(/shorter than 16/);
    expect(() => apr1Hash("x", "bad$salt")).to.throw(/salt/);
  });
});
