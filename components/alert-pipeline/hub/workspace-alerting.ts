/**
 * One workspace's alerting in the hub: its rule group namespaces and its alertmanager
 * definition, which publishes to the environment's alert topic. AlertPipeline declares one
 * per workspace when it owns the workspaces; in the per-account layout each account's hub
 * stack declares its own, so the shared stack does not grow with the organisation.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertmanagerOverride, renderAlertmanagerDefinition, resolveAlertmanagerSettings } from "../alertmanager";
import { RuleSettings, RuleSettingsOverride, renderRuleNamespaces, resolveRuleSettings } from "../rules";

export interface WorkspaceAlertingArgs {
  environment: string;
  region: string;
  accountName: string;
  /** Routing team of the account's alerts (the rules' `team` label). */
  team: string;
  /** Per-account rule settings (disabled groups, thresholds...), merged over the defaults. */
  ruleOverrides?: RuleSettingsOverride;
  workspaceId: pulumi.Input<string>;
  /** The SNS topic the alertmanager publishes to. */
  topicArn: pulumi.Input<string>;
  /** Without `teams`, the workspace routes the teams its rules label alerts with. */
  alertmanager?: AlertmanagerOverride;
  tags?: Record<string, string>;
}

/** The `team` values a workspace's rules put on alerts: each gets its own alertmanager route. */
export function ruleTeams(settings: RuleSettings): string[] {
  return [...new Set([settings.team, ...Object.values(settings.teams).filter((t): t is string => !!t)])].sort();
}

export class WorkspaceAlerting extends pulumi.ComponentResource {
  constructor(name: string, args: WorkspaceAlertingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:alerts:WorkspaceAlerting", name, {}, opts);
    const child = { parent: this };
    const tags = { ...args.tags, "observability:environment": args.environment, "observability:account": args.accountName };
    const ruleSettings = resolveRuleSettings({ ...args.ruleOverrides, team: args.ruleOverrides?.team ?? args.team },
      `workloads.${args.accountName}.rules`);
    for (const namespace of renderRuleNamespaces(ruleSettings)) {
      new aws.amp.RuleGroupNamespace(`${name}-${namespace.name}`, {
        workspaceId: args.workspaceId,
        name: namespace.name,
        data: namespace.data,
        tags,
      }, child);
    }
    const alertmanager = {
      ...args.alertmanager,
      teams: args.alertmanager?.teams ?? Object.fromEntries(ruleTeams(ruleSettings).map((team) => [team, {}])),
    };
    new aws.amp.AlertManagerDefinition(`${name}-alertmanager`, {
      workspaceId: args.workspaceId,
      definition: pulumi.output(args.topicArn).apply((topicArn) => renderAlertmanagerDefinition(
        resolveAlertmanagerSettings({ region: args.region, topicArn }, alertmanager, `alerting.alertmanager (${args.accountName})`))),
    }, child);
    this.registerOutputs({});
  }
}
