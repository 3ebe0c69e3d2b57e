/**
 * restricted-principals, case by case: open principals and the conditions that pin them (trust
 * and resource policies differ), cross-account trust, web-identity trust (`:sub` and `:aud` of
 * the provider's own issuer), reviewed exceptions and values unknown at preview.
 */
import { expect } from "chai";
import { PolicyStatement, policyDocument, policyJson } from "../../components/iam/policy-document";
import { PackConfig } from "../../policies/config";
import { evaluateResources, PolicyViolation } from "../../policies/evaluate";
import { UNKNOWN } from "../../policies/analysis/unknown";
import { CASE_ACCOUNT, resource } from "./cases";

const OTHER = "333333333333";
const TOPIC = `arn:aws:sns:eu-west-1:${CASE_ACCOUNT}:alerts`;
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER = `arn:aws:iam::${CASE_ACCOUNT}:oidc-provider/${ISSUER}`;

type Options = { accountId?: string; config?: PackConfig };

function judged(record: ReturnType<typeof resource>, options: Options = { accountId: CASE_ACCOUNT }): PolicyViolation[] {
  return evaluateResources([record], options).filter((v) => v.policy === "restricted-principals");
}
const trust = (statement: Record<string, unknown>, options?: Options) =>
  judged(resource("aws:iam/role:Role", "under-test", { assumeRolePolicy: policyJson(policyDocument(statement as unknown as PolicyStatement)) }), options);
const topicPolicy = (statement: Record<string, unknown>, options?: Options) =>
  judged(resource("aws:sns/topicPolicy:TopicPolicy", "under-test", { arn: TOPIC, policy: policyJson(policyDocument(statement as unknown as PolicyStatement)) }), options);
const levels = (violations: PolicyViolation[]) => violations.map((v) => v.enforcementLevel);

describe("policy restricted-principals", () => {
  describe("open principals", () => {
    const assume = (condition?: Record<string, unknown>, principal: unknown = "*") => ({ Sid: "Open", Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) });
    const publish = (condition?: Record<string, unknown>, principal: unknown = "*") => ({ Sid: "Open", Effect: "Allow", Principal: principal, Action: "sns:Publish", Resource: TOPIC, ...(condition ? { Condition: condition } : {}) });

    it("refuses Principal \"*\" and {AWS: \"*\"} in a trust policy unless a caller condition pins it", () => {
      for (const principal of ["*", { AWS: "*" }]) {
        const [hit] = trust(assume(undefined, principal));
        expect(hit.enforcementLevel).to.equal("mandatory");
        expect(hit.message).to.include("lets anyone assume this role");
        expect(hit.message).to.include("name the principal (a role ARN) or add a condition on aws:PrincipalOrgID");
      }
      expect(trust(assume({ StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } }))).to.deep.equal([]);
      // A source condition says on whose behalf a service calls: it pins no caller of AssumeRole.
      expect(levels(trust(assume({ StringEquals: { "aws:SourceAccount": CASE_ACCOUNT } })))).to.deep.equal(["mandatory"]);
    });

    it("accepts a caller or a source condition on an open resource policy, and says how to fix one without", () => {
      expect(topicPolicy(publish({ StringEquals: { "aws:SourceAccount": CASE_ACCOUNT } }))).to.deep.equal([]);
      expect(topicPolicy(publish({ StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } }))).to.deep.equal([]);
      const [hit] = topicPolicy(publish());
      expect(hit.message).to.include("lets anyone use this resource");
      expect(hit.message).to.include("name the principal, or add a condition on aws:PrincipalOrgID, aws:SourceArn or aws:SourceAccount");
      expect(topicPolicy({ ...publish(), Effect: "Deny" })).to.deep.equal([]);
    });

    it("tells a Lambda permission open to everyone to set its own pinning arguments", () => {
      const record = resource("aws:lambda/permission:Permission", "open-invoke", { function: "notifier", action: "lambda:InvokeFunction", principal: "*" });
      const [hit] = judged(record);
      expect(hit.message).to.include("set principalOrgId, sourceArn or sourceAccount on the Permission");
    });

    it("reports a principal or its pinning condition unknown at preview as advisory", () => {
      expect(levels(topicPolicy(publish(undefined, UNKNOWN)))).to.deep.equal(["advisory"]);
      expect(levels(topicPolicy(publish(undefined, { AWS: UNKNOWN })))).to.deep.equal(["advisory"]);
      expect(levels(topicPolicy(publish({ StringEquals: { "aws:SourceAccount": UNKNOWN } })))).to.deep.equal(["advisory"]);
    });

    it("accepts a reviewed exception of allowedPrincipals", () => {
      const config = { "restricted-principals": { allowedPrincipals: [`arn:aws:iam::${OTHER}:root`] } };
      const statement = assume(undefined, { AWS: `arn:aws:iam::${OTHER}:root` });
      expect(levels(trust(statement))).to.deep.equal(["mandatory"]);
      expect(trust(statement, { accountId: CASE_ACCOUNT, config })).to.deep.equal([]);
    });
  });

  describe("cross-account trust", () => {
    const assume = (principal: string, condition?: Record<string, unknown>) => ({ Sid: "Cross", Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) });

    it("accepts a named role, the own account, or a pin on aws:PrincipalArn without wildcard, sts:ExternalId or aws:PrincipalOrgID", () => {
      expect(trust(assume(`arn:aws:iam::${OTHER}:role/collector`))).to.deep.equal([]);
      expect(trust(assume(`arn:aws:iam::${CASE_ACCOUNT}:root`))).to.deep.equal([]);
      expect(trust(assume(CASE_ACCOUNT))).to.deep.equal([]);
      expect(trust(assume(`arn:aws:iam::${OTHER}:root`, { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${OTHER}:role/collector` } }))).to.deep.equal([]);
      expect(trust(assume(`arn:aws:iam::${OTHER}:root`, { StringEquals: { "sts:ExternalId": "shared-secret-id" } }))).to.deep.equal([]);
      expect(trust(assume(`arn:aws:iam::${OTHER}:root`, { StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } }))).to.deep.equal([]);
    });

    it("refuses another account's root unpinned or pinned by a wildcard, naming who could assume", () => {
      const [root] = trust(assume(`arn:aws:iam::${OTHER}:root`));
      expect(root.message).to.include(`every identity of account ${OTHER} allowed to call sts:AssumeRole may assume this role`);
      expect(root.message).to.include(`arn:aws:iam::${OTHER}:role/<name>`);
      expect(levels(trust(assume(OTHER)))).to.deep.equal(["mandatory"]);
      expect(levels(trust(assume(`arn:aws:iam::${OTHER}:root`, { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${OTHER}:role/*` } })))).to.deep.equal(["mandatory"]);
      expect(levels(trust(assume(`arn:aws:iam::${OTHER}:user/someone`)))).to.deep.equal(["mandatory"]);
    });

    it("reports an unknown pin as advisory, and cannot judge an account when the provider pins none", () => {
      expect(levels(trust(assume(`arn:aws:iam::${OTHER}:root`, { StringEquals: { "sts:ExternalId": UNKNOWN } })))).to.deep.equal(["advisory"]);
      const [unsure] = trust(assume(`arn:aws:iam::${OTHER}:root`), {});
      expect(unsure.enforcementLevel).to.equal("advisory");
      expect(unsure.message).to.include("cannot tell whether");
    });
  });

  describe("web-identity trust", () => {
    const irsa = (condition: Record<string, unknown> | undefined, provider = PROVIDER, action: unknown = "sts:AssumeRoleWithWebIdentity") =>
      ({ Sid: "Irsa", Effect: "Allow", Principal: { Federated: provider }, Action: action, ...(condition ? { Condition: condition } : {}) });
    const sub = (value: unknown, issuer = ISSUER) => ({ [`${issuer}:sub`]: value });
    const aud = (value: unknown = "sts.amazonaws.com", issuer = ISSUER) => ({ [`${issuer}:aud`]: value });

    it("accepts one service account and the STS audience of the provider's own issuer", () => {
      expect(trust(irsa({ StringEquals: { ...sub("system:serviceaccount:monitoring:prometheus"), ...aud() } }))).to.deep.equal([]);
      expect(trust(irsa({ StringEquals: { ...sub("system:serviceaccount:monitoring:prometheus", ISSUER.toUpperCase()), ...aud() } }))).to.deep.equal([]);
      // Another identity provider than EKS: a subject without wildcard is one identity.
      expect(trust(irsa({ StringEquals: { ...sub("repo:org/app:ref:refs/heads/main", "token.actions.githubusercontent.com"), ...aud("sts.amazonaws.com", "token.actions.githubusercontent.com") } },
        `arn:aws:iam::${CASE_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`))).to.deep.equal([]);
    });

    it("refuses a trust without :sub, with a namespace-only or wildcard subject, or with :sub of another issuer", () => {
      const subjectFindings = (condition: Record<string, unknown>) => trust(irsa(condition)).filter((v) => v.message.includes(":sub"));
      expect(subjectFindings({ StringEquals: aud() })).to.have.length(1);
      for (const loose of ["system:serviceaccount:monitoring", "system:serviceaccount:monitoring:*", "system:serviceaccount:a:b:c"]) {
        const found = subjectFindings({ StringLike: { ...sub(loose), ...aud() } });
        expect(found, loose).to.have.length(1);
        if (loose.startsWith("system")) expect(found[0].message, loose).to.include(`(${loose})`);
      }
      expect(subjectFindings({ StringEquals: { ...sub("system:serviceaccount:a:b", "oidc.eks.eu-west-1.amazonaws.com/id/OTHER"), ...aud() } })).to.have.length(1);
    });

    it("refuses a trust without :aud or with a wildcard audience", () => {
      const audienceFindings = (condition: Record<string, unknown>) => trust(irsa(condition)).filter((v) => v.message.includes("token audience"));
      expect(audienceFindings({ StringEquals: sub("system:serviceaccount:a:b") })).to.have.length(1);
      expect(audienceFindings({ StringLike: { ...sub("system:serviceaccount:a:b"), ...aud("sts.*") } })).to.have.length(1);
    });

    it("judges a Federated principal that is no OIDC provider only when the statement grants web identity", () => {
      expect(trust(irsa(undefined, "cognito-identity.amazonaws.com", "sts:AssumeRole"))).to.deep.equal([]);
      expect(trust(irsa(undefined, "cognito-identity.amazonaws.com", "sts:AssumeRoleWith*")).map((v) => v.message).join()).to.include("<issuer>:sub");
      expect(trust(irsa(undefined, "cognito-identity.amazonaws.com", [UNKNOWN]))).to.deep.equal([]);
    });

    it("reports unknown :sub or :aud values as advisory", () => {
      expect(levels(trust(irsa({ StringEquals: { ...sub(UNKNOWN), ...aud() } })))).to.deep.equal(["advisory"]);
      expect(levels(trust(irsa({ StringEquals: { ...sub("system:serviceaccount:a:b"), ...aud(UNKNOWN) } })))).to.deep.equal(["advisory"]);
    });
  });

  describe("what a finding names", () => {
    const statement = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Sid: "S", Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...extra });
    const upToUnknown = (violations: PolicyViolation[]) => violations.map((v) => `${v.enforcementLevel} ${v.message.slice(0, v.message.indexOf(" is not known"))}`);

    it("names the caller keys that would pin an open trust policy", () => {
      expect(trust(statement("*"))[0].message).to.equal(
        'assumeRolePolicy, statement "S": Principal "*" lets anyone assume this role. Fix: name the principal (a role ARN) or add a condition on aws:PrincipalOrgID / aws:PrincipalOrgPaths / aws:PrincipalAccount / aws:PrincipalArn.',
      );
    });

    it("names a principal of no known account as it is written, whether or not the owner account is known", () => {
      for (const options of [{ accountId: CASE_ACCOUNT }, {}]) {
        const [finding] = trust(statement({ AWS: "AIDAEXAMPLEUNIQUEID" }), options);
        expect(finding.enforcementLevel).to.equal("mandatory");
        expect(finding.message).to.include("cross-account principal AIDAEXAMPLEUNIQUEID is not a specific role, so AIDAEXAMPLEUNIQUEID may assume this role. Fix: name the role (arn:aws:iam::<account>:role/<name>)");
      }
      expect(trust(statement({ AWS: `arn:aws:iam::${OTHER}:root` }))[0].message).to.include(
        `so every identity of account ${OTHER} allowed to call sts:AssumeRole may assume this role. Fix: name the role (arn:aws:iam::${OTHER}:role/<name>)`,
      );
    });

    it("says which part is unknown at preview: the Principal, one principal, or the condition on an open one", () => {
      expect(upToUnknown([
        ...trust(statement(UNKNOWN)),
        ...trust(statement({ AWS: UNKNOWN })),
        ...topicPolicy({ Sid: "S", Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: TOPIC, Condition: { StringEquals: { "aws:PrincipalOrgID": UNKNOWN } } }),
        ...trust(statement({ AWS: `arn:aws:iam::${OTHER}:root` }, { Condition: { StringEquals: { "sts:ExternalId": UNKNOWN } } })),
      ])).to.deep.equal([
        'advisory assumeRolePolicy, statement "S": Principal',
        'advisory assumeRolePolicy, statement "S": a AWS principal',
        'advisory policy, statement "S": the condition on the open principal',
        `advisory assumeRolePolicy, statement "S": the condition pinning arn:aws:iam::${OTHER}:root`,
      ]);
    });

    describe("web identity", () => {
      const irsa = (condition?: Record<string, unknown>, provider = PROVIDER, action: unknown = "sts:AssumeRoleWithWebIdentity") =>
        ({ Sid: "Irsa", Effect: "Allow", Principal: { Federated: provider }, Action: action, ...(condition ? { Condition: condition } : {}) });
      it("names the issuer's :sub key, and every subject when one is loose", () => {
        const [missing] = trust(irsa({ StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" } }));
        expect(missing.message).to.equal(
          `assumeRolePolicy, statement "Irsa": web-identity trust for ${PROVIDER} does not pin one service account with ${ISSUER}:sub, so any pod the issuer signs for may assume this role. ` +
            `Fix: StringEquals "${ISSUER}:sub": "system:serviceaccount:<namespace>:<service-account>" (no wildcard).`,
        );
        const [loose] = trust(irsa({ StringLike: { [`${ISSUER}:sub`]: ["system:serviceaccount:a:b", "system:serviceaccount:a:*"], [`${ISSUER}:aud`]: "sts.amazonaws.com" } }));
        expect(loose.message).to.include(`with ${ISSUER}:sub (system:serviceaccount:a:b, system:serviceaccount:a:*), so any pod`);
        const [audience] = trust(irsa({ StringLike: { [`${ISSUER}:sub`]: "system:serviceaccount:a:b", [`${ISSUER}:aud`]: ["sts.amazonaws.com", "sts.*"] } }));
        expect(audience.message).to.equal(`assumeRolePolicy, statement "Irsa": web-identity trust for ${PROVIDER} does not pin the token audience. Fix: StringEquals "${ISSUER}:aud": "sts.amazonaws.com".`);
      });
      it("names the unknown condition by the issuer's key", () => {
        expect(upToUnknown(trust(irsa({ StringEquals: { [`${ISSUER}:sub`]: UNKNOWN, [`${ISSUER}:aud`]: UNKNOWN } })))).to.deep.equal([
          `advisory assumeRolePolicy, statement "Irsa": the ${ISSUER}:sub condition`,
          `advisory assumeRolePolicy, statement "Irsa": the ${ISSUER}:aud condition`,
        ]);
      });
      it("takes any issuer's :sub and :aud for a provider that is no OIDC provider, once web identity is among the actions", () => {
        const cognito = "cognito-identity.amazonaws.com";
        expect(trust(irsa({ StringEquals: { [`${cognito}:sub`]: "us-east-1:abc", [`${cognito}:aud`]: "us-east-1:pool" } }, cognito))).to.deep.equal([]);
        expect(trust(irsa(undefined, cognito, ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"])).map((v) => v.message)).to.have.length(2);
      });
    });
  });
});
