/**
 * Clusters the program creates or reaches: Kubernetes must accept every object the program
 * sends, so each kubeconfig authenticates as the stack's deploy role (the created cluster's
 * admin through its access entry), and a created cluster has what the collector's
 * persistent volume needs.
 */
import { expect } from "chai";
import { PlannedStack } from "../../stacks/plan/plan";
import { ResourceRecord } from "../../stacks/plan/run-stack";
import { planOf } from "../support/plans";

function deployRoleOf(stack: PlannedStack): string {
  const provider = stack.resources.find((r) => r.type === "pulumi:providers:aws")!;
  const assumeRoles = typeof provider.inputs.assumeRoles === "string" ? JSON.parse(provider.inputs.assumeRoles) : provider.inputs.assumeRoles;
  return (assumeRoles as Array<{ roleArn: string }>)[0].roleArn;
}

function execOf(kubeconfig: string): { command: string; args: string[] } {
  const config = JSON.parse(kubeconfig);
  expect(config.users, "one user").to.have.length(1);
  return config.users[0].user.exec;
}

function childrenOf(stack: PlannedStack, parent: ResourceRecord): ResourceRecord[] {
  return stack.resources.filter((r) => r.parent === parent.urn);
}

for (const environment of ["dev", "prod"]) {
  describe(`${environment}: cluster access and storage`, () => {
    it("authenticates every Kubernetes provider as the stack's deploy role", async () => {
      const plan = await planOf(environment);
      let providers = 0;
      for (const stack of plan.stacks) {
        for (const provider of stack.resources.filter((r) => r.type === "pulumi:providers:kubernetes")) {
          providers++;
          const exec = execOf(provider.inputs.kubeconfig as string);
          expect(exec.command).to.equal("aws");
          expect(exec.args.slice(0, 2)).to.deep.equal(["eks", "get-token"]);
          const roleAt = exec.args.indexOf("--role-arn");
          expect(roleAt, `${stack.stack} ${provider.name} assumes a role`).to.be.greaterThan(0);
          expect(exec.args[roleAt + 1]).to.equal(deployRoleOf(stack));
        }
      }
      expect(providers).to.be.greaterThan(0);
    });

    it("creates clusters with access entries, the deploy role's kubeconfig and a reachable API endpoint", async () => {
      const plan = await planOf(environment);
      for (const stack of plan.stacks) {
        for (const cluster of stack.resources.filter((r) => r.type === "eks:index:Cluster")) {
          expect(cluster.inputs.authenticationMode).to.equal("API");
          expect(cluster.inputs.providerCredentialOpts).to.deep.equal({ roleArn: deployRoleOf(stack) });
          if (cluster.inputs.endpointPublicAccess) {
            expect(cluster.inputs.publicAccessCidrs, "public endpoint lists who may reach it").to.be.an("array").that.is.not.empty;
            if (environment !== "dev") expect(cluster.inputs.publicAccessCidrs).not.to.include("0.0.0.0/0");
          } else {
            expect(cluster.inputs.endpointPrivateAccess).to.equal(true);
          }
        }
      }
    });

    it("gives every created cluster the EBS CSI driver (own IRSA role) and a default StorageClass it provisions", async () => {
      const plan = await planOf(environment);
      const created = plan.stacks.flatMap((stack) => stack.resources.filter((r) => r.type === "observability:eks:ManagedEksCluster").map((c) => ({ stack, c })));
      expect(created.length).to.be.greaterThan(0);
      for (const { stack, c } of created) {
        const children = childrenOf(stack, c);
        const addon = children.find((r) => r.type === "aws:eks/addon:Addon")!;
        expect(addon.inputs).to.include({ addonName: "aws-ebs-csi-driver" });
        const role = children.find((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-ebs-csi"))!;
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
        expect(JSON.stringify(trust.Statement[0].Condition)).to.include("system:serviceaccount:kube-system:ebs-csi-controller-sa");
        const attachment = children.find((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment")!;
        expect(attachment.inputs.policyArn).to.equal("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
        const storageClass = children.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")!;
        expect(storageClass.inputs).to.deep.include({ provisioner: "ebs.csi.aws.com", volumeBindingMode: "WaitForFirstConsumer" });
        expect((storageClass.inputs.metadata as any).annotations).to.deep.equal({ "storageclass.kubernetes.io/is-default-class": "true" });
      }
    });
  });
}
