/**
 * Runs the collector pod's credentials step (the init container's script) as the pod runs it:
 * POSIX `sh`, the rendered environment, with the token file moved under a local directory and a
 * stand-in `aws` (no AWS here) that records its call and prints the secret's string the way
 * `aws secretsmanager get-secret-value --query SecretString --output text` does.
 */
import { spawnSync } from "child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "fs";
import { writeFileSync } from "fs";
import { join } from "path";
import { INGEST_TOKEN_FIELD } from "../../components/self-hosted-hub/collector-remote-write";
import { FETCH_INGEST_TOKEN_SCRIPT, fetchIngestTokenEnvironment, HUB_CREDENTIALS_DIR } from "../../components/workload-collector/hub-credentials";

export interface CredentialsStepRun {
  status: number | null;
  stderr: string;
  /** One line per `aws` call: `region=<AWS_REGION> args=<arguments>`. */
  calls: string[];
  /** Where the step wrote (or would have written) the token: HUB_INGEST_TOKEN_FILE under `credentialsDir`. */
  tokenFile: string;
}

/** `awsStandIn`: the shell body of the stand-in `aws` (e.g. an `echo` of the secret string). */
export function runCredentialsStep(scratchDir: string, credentialsDir: string, ingestSecretArn: string, awsStandIn: string): CredentialsStepRun {
  const bin = mkdtempSync(join(scratchDir, "aws-stand-in-"));
  const callLog = join(bin, "calls");
  writeFileSync(join(bin, "aws"), `#!/bin/sh\necho "region=$AWS_REGION args=$*" >> "${callLog}"\n${awsStandIn}\n`);
  chmodSync(join(bin, "aws"), 0o755);
  mkdirSync(credentialsDir, { recursive: true });
  const rendered = fetchIngestTokenEnvironment({ ingestSecretArn, tokenField: INGEST_TOKEN_FIELD });
  const tokenFile = rendered.TOKEN_FILE.replace(HUB_CREDENTIALS_DIR, credentialsDir);
  const result = spawnSync("sh", ["-c", FETCH_INGEST_TOKEN_SCRIPT], { env: { ...rendered, TOKEN_FILE: tokenFile, PATH: `${bin}:/usr/bin:/bin` }, encoding: "utf8" });
  const calls = existsSync(callLog) ? readFileSync(callLog, "utf8").trim().split("\n") : [];
  return { status: result.status, stderr: result.stderr, calls, tokenFile };
}

/** The stand-in body that prints a secret holding `token` as the hub generates it. */
export function secretHolding(token: string): string {
  return `echo '${JSON.stringify({ [INGEST_TOKEN_FIELD]: token })}'`;
}
