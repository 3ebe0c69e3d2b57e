/**
 * SelfHostedHubAccount: one workload account's pieces of a self-hosted hub, declared in that
 * account's own hub stack (`<env>-hub-<account>`, in the hub account): its ingest credential
 * (a generated secret under the environment's ingest prefix, encrypted with the hub key,
 * readable by its collector role alone) and its files in the hub's config bucket (rule files,
 * data source, dashboards, CloudWatch exporter jobs; `account-files.ts`). The shared hub's tasks pick both up while they
 * run (`account-sync.ts`), so adding an account changes nothing in the shared stack.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../iam/policy-document";
import { AccountFileSettings, accountConfigObjects, ingestSecretNamePrefix } from "./account-files";
import { INGEST_TOKEN_FIELD } from "./collector-remote-write";
import { ingestSecretPolicy } from "./documents";
import { GeneratedSecret } from "./generated-secret";

/** The account's files (`AccountFileSettings`: rules, dashboards, exporter jobs...) and where its pieces go. */
export interface SelfHostedHubAccountArgs extends AccountFileSettings {
  /** The account's collector role (it may not exist yet: the secret's policy pins it by ARN). */
  collectorRoleArn: string;
  /** The hub key (shared hub stack). */
  keyArn: pulumi.Input<string>;
  /** The hub's config bucket (shared hub stack). */
  configBucketName: string;
  awsProvider: aws.Provider;
  tags: Record<string, string>;
}

export class SelfHostedHubAccount extends pulumi.ComponentResource {
  public readonly ingestSecretArn: pulumi.Output<string>;

  constructor(name: string, args: SelfHostedHubAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:selfhosted:SelfHostedHubAccount", name, {}, opts);
    const child = { provider: args.awsProvider, parent: this };
    const tags = { ...args.tags, "observability:account": args.account };
    const secret = new GeneratedSecret(`${name}-ingest`, {
      secretName: `${ingestSecretNamePrefix(args.environment)}${args.account}`,
      description: `Bearer token the ${args.account} collectors write to the ${args.environment} hub with`,
      field: INGEST_TOKEN_FIELD,
      kmsKeyId: args.keyArn,
      policy: policyJson(ingestSecretPolicy(args.collectorRoleArn)),
      awsProvider: args.awsProvider,
      tags,
    }, { parent: this });
    const objects = accountConfigObjects(args);
    for (const [key, content] of Object.entries(objects).sort(([a], [b]) => a.localeCompare(b))) {
      new aws.s3.BucketObjectv2(`${name}-${key.replace(/[^A-Za-z0-9-]/g, "-")}`, {
        bucket: args.configBucketName,
        key,
        content,
        contentType: "text/plain; charset=utf-8",
        tags,
      }, child);
    }
    this.ingestSecretArn = secret.secretArn;
    this.registerOutputs({ ingestSecretArn: this.ingestSecretArn });
  }
}
