/**
 * The notifier's logs as Lambda treats them: with the JSON log format Lambda drops
 * application records below `applicationLogLevel` (INFO when unset) and reads `level` and
 * an RFC 3339 `timestamp` from each JSON line. Every line the handler's logger writes at
 * the configured level must survive that filter, or a `debug` setting silently logs nothing.
 */
import { expect } from "chai";
import { LAMBDA_LOG_LEVELS, LambdaLogLevel } from "../../components/alert-pipeline/hub/lambda-settings";
import { parseLogLevel, powertoolsLogger } from "../../components/alert-pipeline/notifier/logger";
import { capturingOutputSync } from "../support/capture-output";
import { ofType, planOf } from "../support/plans";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether Lambda keeps a JSON record of `recordLevel` under `applicationLogLevel` (its documented filter; unknown levels count as INFO). */
function lambdaKeepsRecord(recordLevel: string | undefined, applicationLogLevel: LambdaLogLevel = "INFO"): boolean {
  const level = (LAMBDA_LOG_LEVELS as readonly string[]).includes((recordLevel ?? "").toUpperCase()) ? (recordLevel as string).toUpperCase() : "INFO";
  return LAMBDA_LOG_LEVELS.indexOf(level as LambdaLogLevel) >= LAMBDA_LOG_LEVELS.indexOf(applicationLogLevel);
}

/** The lines written to stdout and stderr (Powertools writes warnings and errors to stderr) while `run` runs. */
function capturedLines(run: () => void): string[] {
  return capturingOutputSync(run).split("\n").filter((line) => line.length > 0);
}

/** Runs `run` with these environment variables (undefined: unset), then restores the environment. */
function withEnv<T>(variables: Record<string, string | undefined>, run: () => T): T {
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const assign = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  assign(variables);
  try {
    return run();
  } finally {
    assign(saved);
  }
}

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

      const variables = (fn.inputs.environment as any).variables as Record<string, string>;
      const configured = parseLogLevel(variables.LOG_LEVEL);
      // The real logger, as lambda.ts builds it, in Lambda's environment: AWS_LAMBDA_LOG_LEVEL is
      // the application log level, TZ is ":UTC" in Lambda (also tried: unset, and a non-UTC zone,
      // for which Powertools writes the offset).
      for (const TZ of [":UTC", undefined, "Asia/Kolkata"]) {
        const lines = withEnv({ AWS_LAMBDA_LOG_LEVEL: applicationLogLevel, LOG_LEVEL: variables.LOG_LEVEL, TZ, POWERTOOLS_DEV: undefined }, () =>
          capturedLines(() => {
            const logger = powertoolsLogger({ level: configured });
            for (const level of ["debug", "info", "warn", "error"] as const) logger[level](`a ${level} record`, { destination: "slack-alerts" });
          }),
        );
        const written = lines.map((line) => JSON.parse(line) as { level?: string; timestamp?: string; message?: string; destination?: string });
        const records = written.filter((record) => record.message?.startsWith("a "));
        expect(records.map((record) => record.message), `TZ=${TZ}: the logger writes at ${configured} and above`).to.include(`a ${configured} record`);
        for (const record of written) {
          expect(record.timestamp, `TZ=${TZ}: Lambda needs an RFC 3339 timestamp, or files the record as INFO`).to.match(RFC3339);
          expect(Date.parse(record.timestamp!), "the timestamp is now").to.be.closeTo(Date.now(), 60_000);
          expect(lambdaKeepsRecord(record.level, applicationLogLevel), `${record.level} record under ${applicationLogLevel}`).to.equal(true);
        }
        for (const record of records) {
          expect(record.level).to.equal(record.message!.split(" ")[1].toUpperCase());
          expect(record.destination).to.equal("slack-alerts");
        }
      }
    });
  });
}
