/**
 * IAM policy of the AWS Load Balancer Controller (v2.13 line), reviewed and scoped.
 *
 * Upstream ships docs/install/iam_policy.json with most write actions on Resource "*".
 * This version keeps the same actions and conditions but:
 * - puts every write action on ARNs of this account and region only;
 * - replaces "the cluster tag exists" conditions by "the cluster tag equals this cluster",
 *   so the controller can only touch load balancers, target groups and security groups it
 *   created for this cluster (it tags them `elbv2.k8s.aws/cluster=<cluster name>`);
 * - pins iam:CreateServiceLinkedRole to the Elastic Load Balancing service-linked role.
 * Describe/Get/List calls stay on "*": those APIs do not support resource-level permissions.
 */
import { PolicyDocument, PolicyStatement, policyDocument } from "../iam/policy-document";

export interface LoadBalancerControllerScope {
  partition: string;
  region: string;
  accountId: string;
  /** EKS cluster name: the value of the `elbv2.k8s.aws/cluster` tag on what the controller creates. */
  clusterName: string;
}

const CLUSTER_TAG = "elbv2.k8s.aws/cluster";

const READ_ONLY_ACTIONS = [
  "ec2:DescribeAccountAttributes",
  "ec2:DescribeAddresses",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeCoipPools",
  "ec2:DescribeInstances",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeIpamPools",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeRouteTables",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeTags",
  "ec2:DescribeVpcPeeringConnections",
  "ec2:DescribeVpcs",
  "ec2:GetCoipPoolUsage",
  "ec2:GetSecurityGroupsForVpc",
  "elasticloadbalancing:DescribeCapacityReservation",
  "elasticloadbalancing:DescribeListenerAttributes",
  "elasticloadbalancing:DescribeListenerCertificates",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeLoadBalancerAttributes",
  "elasticloadbalancing:DescribeLoadBalancers",
  "elasticloadbalancing:DescribeRules",
  "elasticloadbalancing:DescribeSSLPolicies",
  "elasticloadbalancing:DescribeTags",
  "elasticloadbalancing:DescribeTargetGroupAttributes",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetHealth",
  "elasticloadbalancing:DescribeTrustStores",
  "acm:DescribeCertificate",
  "acm:ListCertificates",
  "cognito-idp:DescribeUserPoolClient",
  "iam:GetServerCertificate",
  "iam:ListServerCertificates",
  "shield:DescribeProtection",
  "shield:GetSubscriptionState",
  "waf-regional:GetWebACL",
  "waf-regional:GetWebACLForResource",
  "wafv2:GetWebACL",
  "wafv2:GetWebACLForResource",
];

export function loadBalancerControllerPolicy(scope: LoadBalancerControllerScope): PolicyDocument {
  const { partition, region, accountId, clusterName } = scope;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`Load Balancer Controller policy: account id "${accountId}" is not 12 digits`);
  if (clusterName.trim() === "") throw new Error("Load Balancer Controller policy: cluster name is empty");

  const ec2 = `arn:${partition}:ec2:${region}:${accountId}`;
  const elb = `arn:${partition}:elasticloadbalancing:${region}:${accountId}`;
  const securityGroups = `${ec2}:security-group/*`;
  const loadBalancers = [`${elb}:loadbalancer/app/*/*`, `${elb}:loadbalancer/net/*/*`];
  const targetGroups = `${elb}:targetgroup/*/*`;
  const listeners = [`${elb}:listener/app/*/*/*`, `${elb}:listener/net/*/*/*`];
  const listenerRules = [`${elb}:listener-rule/app/*/*/*`, `${elb}:listener-rule/net/*/*/*`];
  const ownedByCluster = { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: clusterName } };

  const statements: PolicyStatement[] = [
    {
      Sid: "CreateElbServiceLinkedRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    { Sid: "DescribeWithoutResourceLevelPermissions", Effect: "Allow", Action: READ_ONLY_ACTIONS, Resource: "*" },
    {
      Sid: "ProtectLoadBalancersOfThisAccount",
      Effect: "Allow",
      Action: [
        "shield:CreateProtection",
        "shield:DeleteProtection",
        "waf-regional:AssociateWebACL",
        "waf-regional:DisassociateWebACL",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
      ],
      Resource: [
        `arn:${partition}:shield::${accountId}:protection/*`,
        `arn:${partition}:waf-regional:${region}:${accountId}:webacl/*`,
        `arn:${partition}:wafv2:${region}:${accountId}:regional/webacl/*/*`,
        ...loadBalancers,
      ],
    },
    {
      Sid: "OpenSecurityGroupsOfThisAccount",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: securityGroups,
    },
    {
      Sid: "CreateSecurityGroupsInThisAccount",
      Effect: "Allow",
      Action: "ec2:CreateSecurityGroup",
      Resource: [securityGroups, `${ec2}:vpc/*`],
    },
    {
      Sid: "TagNewSecurityGroupsForThisCluster",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: securityGroups,
      Condition: {
        StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", [`aws:RequestTag/${CLUSTER_TAG}`]: clusterName },
      },
    },
    {
      Sid: "RetagSecurityGroupsOfThisCluster",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: securityGroups,
      Condition: { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "true" }, ...ownedByCluster },
    },
    {
      Sid: "ManageSecurityGroupsOfThisCluster",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      Resource: securityGroups,
      Condition: ownedByCluster,
    },
    {
      Sid: "CreateLoadBalancersForThisCluster",
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: [...loadBalancers, targetGroups],
      Condition: { StringEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: clusterName } },
    },
    {
      Sid: "ManageListenersAndRules",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteRule",
      ],
      Resource: [...loadBalancers, ...listeners, ...listenerRules, targetGroups],
    },
    {
      Sid: "RetagLoadBalancersOfThisCluster",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: [targetGroups, ...loadBalancers],
      Condition: { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "true" }, ...ownedByCluster },
    },
    {
      Sid: "TagListenersAndRules",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: [...listeners, ...listenerRules],
    },
    {
      Sid: "ModifyLoadBalancersOfThisCluster",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyCapacityReservation",
        "elasticloadbalancing:ModifyIpPools",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
      ],
      Resource: [...loadBalancers, targetGroups, ...listeners],
      Condition: ownedByCluster,
    },
    {
      Sid: "TagOnCreateForThisCluster",
      Effect: "Allow",
      Action: "elasticloadbalancing:AddTags",
      Resource: [targetGroups, ...loadBalancers],
      Condition: {
        StringEquals: {
          "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"],
          [`aws:RequestTag/${CLUSTER_TAG}`]: clusterName,
        },
      },
    },
    {
      Sid: "RegisterTargets",
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: targetGroups,
    },
    {
      Sid: "ConfigureListenersAndRules",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:RemoveListenerCertificates",
        "elasticloadbalancing:SetRulePriorities",
        "elasticloadbalancing:SetWebAcl",
      ],
      Resource: [...loadBalancers, ...listeners, ...listenerRules],
    },
  ];
  return policyDocument(...statements);
}
