/**
 * The collector pod's credentials step, run as the init container runs it: the rendered
 * script under POSIX `sh` with exactly the rendered environment; only the AWS CLI is a stand-in
 * (tests/support/credentials-step.ts), printing the secret's string as the hub generates it
 * (`{"token":"..."}`).
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { INGEST_TOKEN_FIELD } from "../../components/self-hosted-hub/collector-remote-write";
import { HUB_CREDENTIALS_DIR, HUB_INGEST_TOKEN_FILE } from "../../components/workload-collector/hub-credentials";
import { runCredentialsStep, secretHolding } from "../support/credentials-step";

const SECRET = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:observability/selfhosted/self-hosted/ingest/search-Ab12Cd";
const TOKEN = "Q7pLx2Vb9Kd4Rt6Wm8Yz1Nc3Fh5Jg0Sa2Ue4Io6Pl8Mk";

describe("collector credentials step (the init container's script under sh)", () => {
  let dir: string;
  let volume: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "hub-credentials-"));
  });
  beforeEach(() => {
    volume = mkdtempSync(join(dir, "volume-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const runStep = (awsStandIn: string) => runCredentialsStep(dir, volume, SECRET, awsStandIn);

  it("reads the account's secret by its full ARN in the hub's region and writes only the token, readable by the pod's user alone", () => {
    const { status, stderr, calls, tokenFile } = runStep(secretHolding(TOKEN));
    expect(status, stderr).to.equal(0);
    expect(calls).to.deep.equal([`region=eu-west-1 args=secretsmanager get-secret-value --secret-id ${SECRET} --query SecretString --output text`]);
    expect(tokenFile).to.equal(join(volume, "ingest-token"));
    expect(HUB_INGEST_TOKEN_FILE).to.equal(`${HUB_CREDENTIALS_DIR}/ingest-token`);
    expect(readFileSync(tokenFile, "utf8")).to.equal(TOKEN);
    expect(statSync(tokenFile).mode & 0o777).to.equal(0o600);
    expect(stderr).to.equal("");
  });

  it("fails, writes nothing and prints no secret when the secret does not hold a plain token", () => {
    for (const secretString of [`{"password":"${TOKEN}"}`, `{"${INGEST_TOKEN_FIELD}":"with space ${TOKEN}"}`, `{"${INGEST_TOKEN_FIELD}":""}`, TOKEN]) {
      const { status, stderr, tokenFile } = runStep(`echo '${secretString}'`);
      expect(status, secretString).to.not.equal(0);
      expect(existsSync(tokenFile), `${secretString}: token file`).to.equal(false);
      expect(existsSync(`${tokenFile}.partial`), `${secretString}: partial file`).to.equal(false);
      expect(stderr).to.contain(`secret ${SECRET} does not hold {"token"`);
      expect(stderr).to.not.contain(TOKEN);
    }
  });

  it("fails and writes nothing when the AWS CLI fails (no access, no network): Prometheus never starts without its token", () => {
    const { status, stderr, tokenFile } = runStep(`echo "An error occurred (AccessDeniedException) when calling the GetSecretValue operation" >&2; exit 254`);
    expect(status).to.not.equal(0);
    expect(stderr).to.contain("AccessDeniedException");
    expect(existsSync(tokenFile)).to.equal(false);
  });
});
