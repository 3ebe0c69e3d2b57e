/**
 * Pulumi mock runtime for the unified-query tests: records every resource registered,
 * answers the random-password invoke with a known value, and returns the outputs a real
 * provider would compute (role ARNs, the EKS component's outputs, the ALB hostname).
 */
import * as pulumi from "@pulumi/pulumi";

export const MOCK_PASSWORD = "Zq8wM3nB7vK2xR5tY9pL4sD6fH1jG0aC";
export const MOCK_ALB_HOSTNAME = "internal-k8s-ingressn-promxyal-0123456789.eu-west-1.elb.amazonaws.com";
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_MARK = "1b47061264138c4ac30d75fd1eb44270";

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export const recorded: RecordedResource[] = [];

function outputsFor(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  switch (args.type) {
    case "aws:iam/role:Role":
      return { ...inputs, name: args.name, arn: `arn:aws:iam::111122223333:role/${args.name}` };
    case "aws:secretsmanager/secret:Secret":
      return { ...inputs, arn: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${inputs.name}-AbCdEf` };
    case "eks:index:Cluster":
      return {
        kubeconfigJson: JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [] }),
        oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/NEWCLUSTER",
        oidcProviderUrl: "oidc.eks.eu-west-1.amazonaws.com/id/NEWCLUSTER",
      };
    case "kubernetes:networking.k8s.io/v1:Ingress": {
      const metadata = inputs.metadata as { name?: string };
      return metadata.name === "promxy-alb" ? { ...inputs, status: { loadBalancer: { ingress: [{ hostname: MOCK_ALB_HOSTNAME }] } } } : inputs;
    }
    default:
      return inputs;
  }
}

export function installMocks(): void {
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: outputsFor(args) };
      },
      call(args) {
        if (args.token === "aws:secretsmanager/getRandomPassword:getRandomPassword") {
          return { id: "random", randomPassword: MOCK_PASSWORD };
        }
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "observability",
    "test",
    false,
  );
}

export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

export function outputIsSecret(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/** Waits until no new resource has been registered for a few event-loop turns. */
export async function settled(): Promise<void> {
  let last = -1;
  let quiet = 0;
  while (quiet < 5) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (recorded.length === last) quiet++;
    else {
      quiet = 0;
      last = recorded.length;
    }
  }
}

/** Paths of every string containing `needle`, and whether each lies inside a secret value. */
export function occurrences(value: unknown, needle: string, path = "", insideSecret = false): Array<{ path: string; secret: boolean }> {
  if (typeof value === "string") return value.includes(needle) ? [{ path, secret: insideSecret }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => occurrences(item, needle, `${path}[${i}]`, insideSecret));
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] === SECRET_MARK) return occurrences(record.value, needle, path, true);
    return Object.entries(record).flatMap(([key, item]) => occurrences(item, needle, `${path}.${key}`, insideSecret));
  }
  return [];
}

export function unwrapSecret(value: unknown): unknown {
  if (value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_MARK) {
    return (value as { value: unknown }).value;
  }
  return value;
}
