/**
 * The alert pipeline every account of an environment shares, in its shared hub stack, for
 * either backend: the topic, notifier, bus and pipeline alarms. Each account's rules and
 * alertmanager live in its own hub stack (hub-account.ts, self-hosted-hub-part.ts); the
 * self-hosted pipeline also takes each account's rule settings (its one Alertmanager routes
 * every team they name) and says its alerts come from the self-hosted Alertmanager.
 */
import * as pulumi from "@pulumi/pulumi";
import { AlertPipeline } from "../components/alert-pipeline";
import { Severity } from "../components/alert-pipeline/notifier/alert";
import { DestinationType } from "../components/alert-pipeline/notifier/config";
import { collectorAwareRules } from "./account-rules";
import { HubStackConfig } from "./config/schema";

export function sharedAlertPipeline(config: HubStackConfig, provider: pulumi.ProviderResource, notifierCode: string, backend: "managed" | "self-hosted"): AlertPipeline {
  const { environment, hub: hubConfig, alerting } = config;
  const selfHosted = backend === "self-hosted";
  return new AlertPipeline(`alerts-${environment}`, {
    environment,
    accountId: hubConfig.accountId,
    region: hubConfig.region,
    organizationId: hubConfig.organizationId,
    workloads: config.workloads.map((w) => ({ name: w.name, accountId: w.accountId, team: w.team, ...(selfHosted ? { ruleOverrides: collectorAwareRules(w) } : {}) })),
    ...(selfHosted ? { alertSource: "self-hosted" as const } : {}),
    destinations: alerting.destinations.map((d) => ({ ...d, type: d.type as DestinationType })),
    routes: alerting.routes.map((r) => ({ ...r, severities: r.severities as Severity[] | undefined, sources: r.sources as ("amp" | "cloudwatch")[] | undefined })),
    notifier: { ...alerting.notifier, code: notifierCode },
    alertmanager: alerting.alertmanager,
    pipelineHealthEmails: alerting.pipelineHealthEmails,
  }, { providers: { aws: provider } });
}
