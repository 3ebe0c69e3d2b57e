/**
 * How the account's ingest token for a self-hosted hub reaches the collector: an init
 * container of the Prometheus pod reads the hub's secret with the pod's own IRSA role and
 * writes the token to an in-memory volume, which Prometheus reads as
 * `authorization.credentials_file`. Pure renderer of the chart values that do it.
 *
 * Why this way (components/self-hosted-hub/README.md, "The collector side"):
 * - the token is never in Pulumi config, inputs, state or a rendered file: the program only
 *   handles the secret's ARN, and the value travels Secrets Manager -> init container ->
 *   tmpfs (`emptyDir.medium: Memory`), never a Kubernetes Secret or a node's disk;
 * - the collector role already exists (IRSA, `:sub` and `:aud` pinned) and the hub's secret and
 *   key policies admit it; it gets exactly GetSecretValue on that secret and kms:Decrypt through
 *   Secrets Manager (`allowReadIngestCredential`), nothing in the cluster is added;
 * - the Secrets Store CSI driver would also mount it as a file, but it is a privileged
 *   DaemonSet plus the AWS provider installed in every cluster, a dependency this program would
 *   have to own; Pulumi reading the secret into a Kubernetes Secret would put the token in
 *   state (encrypted, but there) and give the deploy role read access to every ingest secret.
 *
 * Rotation: Prometheus reads a credentials_file on every request, but this step runs once per
 * pod start. The hub accepts the secret's current and previous versions and takes a new one
 * within the hour (`self-hosted-hub/account-sync.ts`), so after a rotation the collectors are
 * restarted (`kubectl rollout restart`) once the hub has it, at any time before the next
 * rotation, and no write is refused.
 *
 * The chart places these values (prometheus 25.27.0, commit 5adf0ee8, charts/prometheus/):
 *   values.yaml 311, 315, 319          server.extraInitContainers, extraVolumeMounts, extraVolumes
 *   templates/deploy.yaml 53-56        extraInitContainers become the pod's initContainers
 *   templates/deploy.yaml 279-281      extraVolumeMounts are mounted in the server container only
 *   templates/deploy.yaml 394-396      extraVolumes are added to the pod's volumes
 *   templates/sts.yaml 58-61, 284-286, 397-399   the same in the StatefulSet (replicas > 1)
 *   values.yaml 691-695                the pod runs as 65534:65534 (init container included), so
 *                                      the token file (mode 0600) is readable by Prometheus only.
 * The EKS pod identity webhook injects AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE into init
 * containers as into containers (aws/amazon-eks-pod-identity-webhook,
 * pkg/handler/testdata/rawPodWithInitContainer.pod.yaml).
 */
import { IMAGES } from "../self-hosted-hub/container-definitions";

export const HUB_CREDENTIALS_VOLUME = "hub-credentials";
export const HUB_CREDENTIALS_DIR = "/etc/hub-credentials";
/** Where Prometheus reads the token (`authorization.credentials_file` of every remote_write section). */
export const HUB_INGEST_TOKEN_FILE = `${HUB_CREDENTIALS_DIR}/ingest-token`;
/** The AWS CLI, at the pin of the hub's own config loader: one image to review and upgrade. */
export const HUB_CREDENTIALS_IMAGE = IMAGES.configLoader;

export interface HubCredentialsSource {
  /** Full ARN of the account's ingest secret in the hub account (a name would resolve in the collector's own account). */
  ingestSecretArn: string;
  /** JSON field of the secret holding the token. */
  tokenField: string;
}

/**
 * POSIX sh, run by the init container; the values come from its environment. The token is
 * checked (letters and digits, as the hub generates it) and never printed; the file appears
 * whole or not at all. Any failure fails the init container, so Prometheus never starts
 * without a token and the pod shows Init:Error (and the hub's CollectorAbsent fires).
 */
export const FETCH_INGEST_TOKEN_SCRIPT = [
  "set -eu",
  "umask 077",
  'secret=$(aws secretsmanager get-secret-value --secret-id "$INGEST_SECRET_ARN" --query SecretString --output text)',
  'token=${secret#"{\\"$TOKEN_FIELD\\":\\""}',
  "token=${token%'\"}'}",
  // Only exactly {"<field>":"<token>"}: anything else leaves no token.
  'case "$secret" in "{\\"$TOKEN_FIELD\\":\\"$token\\"}") ;; *) token="";; esac',
  'case "$token" in ""|*[!A-Za-z0-9]*) echo "secret $INGEST_SECRET_ARN does not hold {\\"$TOKEN_FIELD\\": \\"<letters and digits>\\"}" >&2; exit 1;; esac',
  'printf %s "$token" > "$TOKEN_FILE.partial"',
  'mv "$TOKEN_FILE.partial" "$TOKEN_FILE"',
].join("\n");

/** The init container's environment: which secret, in which region, which field, which file. */
export function fetchIngestTokenEnvironment(source: HubCredentialsSource): Record<string, string> {
  const region = source.ingestSecretArn.split(":")[3];
  if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(source.ingestSecretArn)) {
    throw new Error(`hub credentials: ${source.ingestSecretArn} is not a Secrets Manager secret ARN (the full ARN is needed to read a secret of another account)`);
  }
  return {
    INGEST_SECRET_ARN: source.ingestSecretArn,
    TOKEN_FIELD: source.tokenField,
    TOKEN_FILE: HUB_INGEST_TOKEN_FILE,
    // Secrets Manager (and STS) of the hub's region, whatever region the cluster is in.
    AWS_REGION: region,
    // The AWS CLI caches the web identity credentials under $HOME; the pod's user has no home.
    HOME: "/tmp",
  };
}

/** The `server.*` chart values that add the credentials step to the collector pod. */
export function hubCredentialsServerValues(source: HubCredentialsSource): Record<string, unknown> {
  const environment = fetchIngestTokenEnvironment(source);
  return {
    extraInitContainers: [{
      name: "fetch-hub-ingest-token",
      image: HUB_CREDENTIALS_IMAGE,
      command: ["/bin/sh", "-c", FETCH_INGEST_TOKEN_SCRIPT],
      env: Object.entries(environment).map(([name, value]) => ({ name, value })),
      volumeMounts: [{ name: HUB_CREDENTIALS_VOLUME, mountPath: HUB_CREDENTIALS_DIR }],
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    }],
    // In memory only: the token never lands on the node's disk, and it goes with the pod.
    extraVolumes: [{ name: HUB_CREDENTIALS_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }],
    extraVolumeMounts: [{ name: HUB_CREDENTIALS_VOLUME, mountPath: HUB_CREDENTIALS_DIR, readOnly: true }],
  };
}
