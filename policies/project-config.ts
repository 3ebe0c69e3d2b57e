/**
 * This project's reviewed pack config (policy-config.json beside this file): the exceptions
 * its own stacks need, passed to `pulumi preview --policy-pack-config` and to the offline plan.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { RESOURCE_RULES, STACK_RULES } from "./catalog";
import { PackConfig, validatePackConfig } from "./config";

export const PROJECT_POLICY_CONFIG_FILE = join(__dirname, "policy-config.json");

export function loadProjectPolicyConfig(): PackConfig {
  const raw: unknown = JSON.parse(readFileSync(PROJECT_POLICY_CONFIG_FILE, "utf8"));
  return validatePackConfig(raw, [...RESOURCE_RULES, ...STACK_RULES], PROJECT_POLICY_CONFIG_FILE);
}
