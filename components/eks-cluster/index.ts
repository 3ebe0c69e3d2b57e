export { ApiEndpointAccess, eksEndpointArgs } from "./api-endpoint";
export { ManagedEksCluster, ManagedEksClusterArgs } from "./managed-cluster";
export { DEFAULT_STORAGE_CLASS, defaultStorageClass } from "./storage";
