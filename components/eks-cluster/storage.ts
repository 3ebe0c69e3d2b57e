/**
 * What a cluster this program creates needs before a collector can keep its WAL on a
 * persistent volume: the EBS CSI driver (the in-tree EBS provisioner is gone since
 * Kubernetes 1.27) with its own IRSA role, and a default StorageClass that uses it (EKS
 * stopped marking `gp2` as default in 1.30). Pure values; `ManagedEksCluster` deploys them.
 */

export const EBS_CSI_ADDON = "aws-ebs-csi-driver";
/** The service account the EKS add-on runs its controller as. */
export const EBS_CSI_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" };
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";
export const DEFAULT_STORAGE_CLASS = "gp3";

/** AWS's managed policy for the driver: EC2 volume actions scoped by the driver's own tags. */
export function ebsCsiDriverPolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`;
}

/** The default StorageClass: encrypted gp3, bound where the pod lands (volumes are zonal). */
export function defaultStorageClass() {
  return {
    metadata: {
      name: DEFAULT_STORAGE_CLASS,
      annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
    },
    provisioner: EBS_CSI_PROVISIONER,
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy: "Delete",
    allowVolumeExpansion: true,
    parameters: { type: "gp3", encrypted: "true" },
  };
}
