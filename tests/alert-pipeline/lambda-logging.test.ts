/**
 * The notifier's logs as Lambda treats them: with the JSON log format Lambda drops
 * application records below `applicationLogLevel` (INFO when unset) and reads `level` and
 * an RFC 3339 `timestamp` from each JSON line. Every line the handler's logger writes at
 * the configured level must survive that filter, or a `debug` setting silently logs nothing.
 */
import { expect } from "chai";
import { LAMBDA_LOG_LEVELS, LambdaLogLevel, lambdaKeepsRecord } from "../../components/alert-pipeline/hub/lambda-settings";
import { jsonLogger, parseLogLevel } from "../../components/alert-pipeline/notifier/logger";
import { ofType, planOf } from "../support/plans";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe("Lambda's log filter (documented semantics)", () => {
  it("drops records below the application level, and treats unknown levels as INFO", () => {
    expect(lambdaKeepsRecord("debug", "INFO")).to.equal(false);
    expect(lambdaKeepsRecord("debug", "DEBUG")).to.equal(true);
    expect(lambdaKeepsRecord("warn", "ERROR")).to.equal(false);
    expect(lambdaKeepsRecord("nonsense", "WARN")).to.equal(false);
    expect(lambdaKeepsRecord(undefined, "INFO")).to.equal(true);
  });
});

for (const environment of ["dev", "prod"]) {
  describe(`${environment}: notifier runtime and logs`, () => {
    it("runs on a supported Node.js runtime (nodejs22.x or newer)", async () => {
      const hub = (await planOf(environment)).stacks[0];
      for (const fn of ofType(hub, "aws:lambda/function:Function")) {
        const version = /^nodejs(\d+)\.x$/.exec(fn.inputs.runtime as string);
        expect(version, `${fn.name} runtime ${fn.inputs.runtime}`).to.not.equal(null);
        expect(Number(version![1])).to.be.at.least(22);
      }
    });

    it("keeps every line the handler writes at its configured level", async () => {
      const hub = (await planOf(environment)).stacks[0];
      const fn = ofType(hub, "aws:lambda/function:Function").find((f) => f.name.endsWith("-notifier"))!;
      const logging = fn.inputs.loggingConfig as { logFormat: string; applicationLogLevel?: LambdaLogLevel };
      expect(logging.logFormat).to.equal("JSON");
      const applicationLogLevel = logging.applicationLogLevel ?? "INFO";
      expect(LAMBDA_LOG_LEVELS).to.include(applicationLogLevel);

      const configured = parseLogLevel((fn.inputs.environment as any).variables.LOG_LEVEL);
      const lines: string[] = [];
      const logger = jsonLogger({ level: configured, write: (line) => lines.push(line) });
      for (const level of ["debug", "info", "warn", "error"] as const) logger[level](`a ${level} record`);
      expect(lines.length, `the logger writes at ${configured} and above`).to.be.greaterThan(0);
      for (const line of lines) {
        const record = JSON.parse(line);
        expect(record.timestamp, "Lambda needs an RFC 3339 timestamp, or files the record as INFO").to.match(RFC3339);
        expect(lambdaKeepsRecord(record.level, applicationLogLevel), `${record.level} record under ${applicationLogLevel}`).to.equal(true);
      }
    });
  });
}
