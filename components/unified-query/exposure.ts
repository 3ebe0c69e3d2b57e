/**
 * How Promxy is reached: an ALB (internal by default) made by the AWS Load Balancer
 * Controller forwards to ingress-nginx, which checks basic authentication and proxies to
 * the Promxy service. Pure values and annotations; the component creates the resources.
 */

export const LOAD_BALANCER_CONTROLLER_CHART = { chart: "aws-load-balancer-controller", version: "1.13.0", repo: "https://aws.github.io/eks-charts" };
export const INGRESS_NGINX_CHART = { chart: "ingress-nginx", version: "4.12.0", repo: "https://kubernetes.github.io/ingress-nginx" };

export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" };
export const INGRESS_NGINX_NAMESPACE = "ingress-nginx";
/** Fixed release name, so the controller Service name is known: `<fullname>-controller`. */
export const INGRESS_NGINX_FULLNAME = "promxy-ingress-nginx";
export const INGRESS_NGINX_CONTROLLER_SERVICE = `${INGRESS_NGINX_FULLNAME}-controller`;
export const INGRESS_NGINX_CLASS = "nginx-promxy";
export const ALB_INGRESS_CLASS = "alb";

export interface ExposureSettings {
  /** Internal ALB (default) or internet-facing. */
  internal: boolean;
  /** ACM certificate for an HTTPS listener; without it the ALB listens on HTTP only. */
  certificateArn?: string;
  /** DNS name clients use; the nginx rule then only answers for this host. */
  hostname?: string;
  /** Source CIDRs the ALB accepts. */
  allowedCidrs?: string[];
  replicas: number;
}

export function loadBalancerControllerValues(clusterName: string, region: string, vpcId: string, roleArn: string, replicas: number) {
  return {
    clusterName,
    region,
    vpcId,
    replicaCount: replicas,
    serviceAccount: {
      create: true,
      name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
      annotations: { "eks.amazonaws.com/role-arn": roleArn },
    },
    // Only Ingress objects that ask for it: the controller does not take over Services.
    enableServiceMutatorWebhook: false,
  };
}

export function ingressNginxValues(settings: ExposureSettings) {
  return {
    fullnameOverride: INGRESS_NGINX_FULLNAME,
    controller: {
      replicaCount: settings.replicas,
      ingressClass: INGRESS_NGINX_CLASS,
      ingressClassResource: { name: INGRESS_NGINX_CLASS, enabled: true, default: false, controllerValue: `k8s.io/${INGRESS_NGINX_CLASS}` },
      // Reached through the ALB only (target-type ip): no load balancer of its own.
      service: { type: "ClusterIP" },
      // Snippets let any Ingress author inject nginx config; nothing here needs them.
      allowSnippetAnnotations: false,
      config: { "use-forwarded-headers": "true", "hide-headers": "Server" },
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      ...(settings.replicas > 1 ? { podDisruptionBudget: { enabled: true, minAvailable: 1 } } : {}),
    },
  };
}

export function albIngressAnnotations(settings: ExposureSettings): Record<string, string> {
  const annotations: Record<string, string> = {
    "alb.ingress.kubernetes.io/scheme": settings.internal ? "internal" : "internet-facing",
    "alb.ingress.kubernetes.io/target-type": "ip",
    // ingress-nginx's default server answers /healthz without authentication.
    "alb.ingress.kubernetes.io/healthcheck-path": "/healthz",
    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify(settings.certificateArn ? [{ HTTPS: 443 }] : [{ HTTP: 80 }]),
  };
  if (settings.certificateArn) {
    annotations["alb.ingress.kubernetes.io/certificate-arn"] = settings.certificateArn;
    annotations["alb.ingress.kubernetes.io/ssl-policy"] = "ELBSecurityPolicy-TLS13-1-2-2021-06";
  }
  if (settings.allowedCidrs && settings.allowedCidrs.length > 0) {
    annotations["alb.ingress.kubernetes.io/inbound-cidrs"] = settings.allowedCidrs.join(",");
  }
  return annotations;
}

export function basicAuthIngressAnnotations(secretName: string): Record<string, string> {
  return {
    "nginx.ingress.kubernetes.io/auth-type": "basic",
    "nginx.ingress.kubernetes.io/auth-secret": secretName,
    "nginx.ingress.kubernetes.io/auth-secret-type": "auth-file",
    "nginx.ingress.kubernetes.io/auth-realm": "Unified query",
    // Long range queries over many workspaces.
    "nginx.ingress.kubernetes.io/proxy-read-timeout": "120",
  };
}

/** Scheme the ALB listens on, for the URL handed to Grafana. */
export function listenerScheme(settings: Pick<ExposureSettings, "certificateArn">): "https" | "http" {
  return settings.certificateArn ? "https" : "http";
}
