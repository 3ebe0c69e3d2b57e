import { expect } from "chai";
import { ALARM_PRESETS, ALARM_PRESET_NAMES, alarmSpecs } from "../../components/alert-pipeline/workload/presets";

describe("CloudWatch alarm presets", () => {
  it("cover the services the accounts run, each naming its metric and the dimension of its resource", () => {
    const metrics = ALARM_PRESET_NAMES.map((name) => `${ALARM_PRESETS[name].namespace} ${ALARM_PRESETS[name].metricName} by ${ALARM_PRESETS[name].dimension}`);
    expect(metrics).to.deep.equal([
      "AWS/SQS ApproximateAgeOfOldestMessage by QueueName",
      "AWS/Lambda Errors by FunctionName",
      "AWS/Lambda Throttles by FunctionName",
      "AWS/RDS CPUUtilization by DBInstanceIdentifier",
      "AWS/RDS FreeStorageSpace by DBInstanceIdentifier",
      "AWS/DynamoDB ReadThrottleEvents by TableName",
      "AWS/DynamoDB WriteThrottleEvents by TableName",
      "AWS/ApplicationELB HTTPCode_ELB_5XX_Count by LoadBalancer",
    ]);
  });

  it("turn a declaration into a full alarm, with the threshold and severity overrides and routing tokens the notifier reads", () => {
    const [storage, errors] = alarmSpecs("prod", "payments", "payments", [
      { preset: "rds-free-storage", resource: "ledger-db", threshold: 5e9 },
      { preset: "lambda-errors", resource: "webhook", severity: "critical" },
    ]);
    expect(storage).to.deep.equal({
      alarmName: "prod-payments-rds-free-storage-ledger-db",
      description: "Database storage is almost full: FreeStorageSpace of ledger-db < 5000000000 bytes free severity=critical team=payments",
      namespace: "AWS/RDS",
      metricName: "FreeStorageSpace",
      dimensions: { DBInstanceIdentifier: "ledger-db" },
      statistic: "Minimum",
      periodSeconds: 300,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparison: "LessThanThreshold",
      threshold: 5e9,
      treatMissingData: "missing",
    });
    expect(errors.threshold).to.equal(0);
    expect(errors.description).to.match(/ severity=critical team=payments$/);
  });

  it("refuse the same preset on the same resource twice", () => {
    expect(() => alarmSpecs("dev", "a", "t", [{ preset: "lambda-errors", resource: "f" }, { preset: "lambda-errors", resource: "f" }]))
      .to.throw(/declared twice/);
  });
});
