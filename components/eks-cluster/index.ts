export { ApiEndpointAccess } from "./api-endpoint";
export { ManagedEksCluster, ManagedEksClusterArgs } from "./managed-cluster";
