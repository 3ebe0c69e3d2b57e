/**
 * The SNS stub refuses what SNS refuses, so the alert-path tests cannot pass on requests
 * real SNS would reject: a wrong SigV4 signature (proven with the real Alertmanager's
 * signer) and subjects outside SNS's rules.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { resolveAlertmanagerSettings } from "../../components/alert-pipeline/alertmanager";
import { requireTool } from "../support/tools";
import { LocalAlertmanager, postAlerts, startLocalAlertmanager } from "./local-alertmanager";
import { waitFor } from "./processes";
import { snsSubjectProblem, SnsStub, startSnsStub } from "./sns-stub";

describe("SNS stub", function () {
  it("applies SNS's subject rules", function () {
    expect(snsSubjectProblem("[FIRING:1] CollectorTargetDown acme/blue")).to.equal(undefined);
    expect(snsSubjectProblem("x".repeat(99))).to.equal(undefined);
    expect(snsSubjectProblem("x".repeat(100))).to.match(/less than 100/);
    expect(snsSubjectProblem("two\nlines")).to.match(/ASCII/);
    expect(snsSubjectProblem("Grüße")).to.match(/ASCII/);
    expect(snsSubjectProblem(" leading space")).to.match(/ASCII/);
    expect(snsSubjectProblem("")).to.match(/empty/);
  });

  describe("with the real Alertmanager signing with the wrong secret", function () {
    this.timeout(30_000);
    let dir: string;
    let sns: SnsStub | undefined;
    let alertmanager: LocalAlertmanager | undefined;

    before(async function () {
      requireTool(this, "prometheus-alertmanager", "prometheus-alertmanager");
      dir = mkdtempSync(join(tmpdir(), "sns-stub-"));
      sns = await startSnsStub({ credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "the-right-secret" } });
      const settings = resolveAlertmanagerSettings(
        { region: "eu-west-1", topicArn: "arn:aws:sns:eu-west-1:111122223333:amp-alerts" },
        { timing: { groupWait: "1s", groupInterval: "1s" } },
      );
      alertmanager = await startLocalAlertmanager(dir, settings, sns.url, { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "a-wrong-secret" });
    });

    after(async function () {
      await alertmanager?.process.stop();
      await sns?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("refuses the publish as SNS would", async function () {
      await postAlerts(alertmanager!.url, [{ labels: { alertname: "SignedWrong", account: "acme-payments", cluster: "blue", severity: "warning" } }]);
      const rejection = await waitFor("a rejected publish", () => sns!.rejected[0], 20_000);
      expect(rejection.code).to.equal("InvalidClientTokenId");
      expect(rejection.reason).to.equal("SigV4 signature does not match");
      expect(sns!.published).to.deep.equal([]);
    });
  });
});
