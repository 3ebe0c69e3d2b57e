/**
 * Who can reach a created cluster's Kubernetes API. The program itself must (every Helm
 * release and Kubernetes object goes through it), so the choice is explicit: a public
 * endpoint restricted to the deploy runners' egress CIDRs, or a private endpoint for a
 * runner inside the VPC (peered, VPN or self-hosted in it).
 */
export type ApiEndpointAccess =
  | { access: "public"; allowedCidrs: string[] }
  | { access: "private" };

export function eksEndpointArgs(endpoint: ApiEndpointAccess) {
  return endpoint.access === "public"
    ? { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: endpoint.allowedCidrs }
    : { endpointPublicAccess: false, endpointPrivateAccess: true };
}
