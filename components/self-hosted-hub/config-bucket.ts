/**
 * The bucket the tasks' rendered files live in (configs, rule files, provisioning, the
 * proxy's code): private, encrypted, versioned (a bad config can be rolled back by version).
 * Each task's role may read only its own objects.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ConfigBucketArgs {
  bucketName: string;
  /** Object key -> content. */
  objects: Record<string, pulumi.Input<string>>;
  awsProvider: aws.Provider;
  tags: Record<string, string>;
}

export class ConfigBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: ConfigBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:selfhosted:ConfigBucket", name, {}, opts);
    const child = { provider: args.awsProvider, parent: this };
    const bucket = new aws.s3.Bucket(name, { bucket: args.bucketName, forceDestroy: false, tags: args.tags }, child);
    new aws.s3.BucketPublicAccessBlock(name, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(name, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, child);
    new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    for (const [key, content] of Object.entries(args.objects).sort(([a], [b]) => a.localeCompare(b))) {
      new aws.s3.BucketObjectv2(`${name}-${key.replace(/[^A-Za-z0-9-]/g, "-")}`, { bucket: bucket.id, key, content, contentType: "text/plain; charset=utf-8", tags: args.tags }, child);
    }
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
