/**
 * Policy configuration in the shape Pulumi uses for `--policy-pack-config`: per policy either an
 * enforcement level or an object with `enforcementLevel` and the policy's options.
 */
import { CommonRuleOptions, ConfigProperty, EnforcementLevel, stringListProperty } from "./analysis/model";

export type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
export type PackConfig = Record<string, PolicyConfigEntry>;

export interface ResolvedRuleConfig {
  enforcementLevel: EnforcementLevel;
  options: CommonRuleOptions & Record<string, unknown>;
}

/** Pulumi's reserved key that sets the level of every policy. */
export const ALL_POLICIES = "all";

export function resolveRuleConfig(config: PackConfig | undefined, ruleName: string, packDefaultLevel: EnforcementLevel): ResolvedRuleConfig {
  const all = config?.[ALL_POLICIES];
  const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
  const defaultLevel = allLevel ?? packDefaultLevel;
  const entry = config?.[ruleName];
  if (entry === undefined) return { enforcementLevel: defaultLevel, options: {} };
  if (typeof entry === "string") return { enforcementLevel: entry, options: {} };
  const { enforcementLevel, ...options } = entry;
  return { enforcementLevel: enforcementLevel ?? defaultLevel, options };
}

/** The config schema a policy publishes: its own options plus the exemption list every policy has. */
export function configSchemaProperties(ruleProperties: Record<string, ConfigProperty>): Record<string, ConfigProperty> {
  return {
    exemptResources: stringListProperty("Resource names or URNs this policy skips (reviewed exceptions)."),
    ...ruleProperties,
  };
}

const LEVELS: ReadonlySet<string> = new Set(["advisory", "mandatory", "disabled"]);

/** A policy as the config sees it: its name and the options it publishes. */
export interface ConfigurablePolicy {
  name: string;
  configProperties: Record<string, ConfigProperty>;
}

/**
 * Checks a config read from a file, so a typo fails loudly instead of silently enforcing
 * defaults: unknown policies, unknown levels, and settings a policy does not have (a
 * misspelt `enforcementLevel` would otherwise leave the policy at its default level).
 */
export function validatePackConfig(raw: unknown, policies: ConfigurablePolicy[], source: string): PackConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new Error(`${source}: policy config must be an object keyed by policy name`);
  const knownPolicies = policies.map((p) => p.name);
  for (const [name, entry] of Object.entries(raw)) {
    if (name !== ALL_POLICIES && !knownPolicies.includes(name)) throw new Error(`${source}: unknown policy "${name}" (known: ${knownPolicies.join(", ")})`);
    const level = typeof entry === "string" ? entry : (entry as { enforcementLevel?: unknown } | null)?.enforcementLevel;
    if (level !== undefined && (typeof level !== "string" || !LEVELS.has(level))) {
      throw new Error(`${source}: policy "${name}" has enforcementLevel ${JSON.stringify(level)}; use advisory, mandatory or disabled`);
    }
    if (typeof entry !== "string" && (entry === null || typeof entry !== "object" || Array.isArray(entry))) throw new Error(`${source}: policy "${name}" config must be a level or an object`);
    if (typeof entry === "string") continue;
    const policy = policies.find((p) => p.name === name);
    const settings = ["enforcementLevel", ...(policy ? Object.keys(configSchemaProperties(policy.configProperties)) : [])];
    const unknown = Object.keys(entry as object).filter((key) => !settings.includes(key));
    if (unknown.length > 0) {
      throw new Error(`${source}: policy "${name}" has no setting ${unknown.map((k) => JSON.stringify(k)).join(", ")} (known: ${settings.join(", ")})`);
    }
  }
  return raw as PackConfig;
}
