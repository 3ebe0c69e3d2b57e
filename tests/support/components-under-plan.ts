/**
 * Tests of single components run them the way the offline plan runs a stack: under PlanMocks,
 * with the engine's provider rule on (`pulumi:disable-default-providers: ["*"]`, as every
 * committed stack sets it), so each resource must be given its provider as the stacks give it.
 * Secret inputs are kept, marked, so tests can prove where a secret goes.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ResourceRecord, runProgramUnderMocks, SECRET_MARKER, StackProgram, StackRun } from "../../stacks/plan/run-stack";

export interface ComponentRunTarget {
  /** Account and region of resources with no AWS provider; AWS resources take their provider's. */
  accountId: string;
  region: string;
}

export function runUnderPlanMocks(program: StackProgram, target: ComponentRunTarget): Promise<StackRun> {
  return runProgramUnderMocks(program, {
    stack: "test",
    config: { "pulumi:disable-default-providers": ["*"] },
    fallbackTarget: target,
    revealSecrets: true,
  });
}

/** The program's rejection (a StackRunError carrying the cause's message). */
export async function rejectionOf(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  return expect.fail("the program should have failed");
}

export function ofType(resources: ResourceRecord[], type: string): ResourceRecord[] {
  return resources.filter((r) => r.type === type);
}

export function single(resources: ResourceRecord[], type: string, predicate: (r: ResourceRecord) => boolean = () => true): ResourceRecord {
  const found = ofType(resources, type).filter(predicate);
  expect(found, `exactly one ${type}`).to.have.length(1);
  return found[0];
}

/** URN of the provider resource of that type and name. */
export function providerUrn(resources: ResourceRecord[], type: string, name: string): string {
  return single(resources, type, (r) => r.name === name).urn;
}

function isRevealedSecret(value: unknown): value is Record<typeof SECRET_MARKER, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && SECRET_MARKER in value;
}

/** Paths of every string containing `needle`, and whether each lies inside a secret value. */
export function occurrences(value: unknown, needle: string, path = "", insideSecret = false): Array<{ path: string; secret: boolean }> {
  if (typeof value === "string") return value.includes(needle) ? [{ path, secret: insideSecret }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => occurrences(item, needle, `${path}[${i}]`, insideSecret));
  if (isRevealedSecret(value)) return occurrences(value[SECRET_MARKER], needle, path, true);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => occurrences(item, needle, `${path}.${key}`, insideSecret));
  }
  return [];
}

/** The value inside a secret input; anything else is returned as it is. */
export function unwrapSecret(value: unknown): unknown {
  return isRevealedSecret(value) ? value[SECRET_MARKER] : value;
}

export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

export function outputIsSecret(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}
