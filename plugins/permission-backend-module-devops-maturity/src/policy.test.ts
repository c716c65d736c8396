import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  devopsMaturityAssessmentAdminPermission,
  devopsMaturityAssessmentSubmitPermission,
  devopsMaturityReadPermission,
  devopsMaturityUnmatchedReadPermission,
} from '@devops-maturity/backstage-plugin-common';
import { createDevopsMaturityPolicy } from './policy';
import { readDevopsMaturityPolicyOptions } from './config';

const user = (...ownershipEntityRefs: string[]): PolicyQueryUser =>
  ({
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
  } as PolicyQueryUser);
/** Signed in through a resolver that claims nothing, not even the user's own ref. */
const UNCLAIMED = {
  info: { userEntityRef: 'user:default/carol', ownershipEntityRefs: [] },
} as unknown as PolicyQueryUser;
const ALICE = user('user:default/alice', 'group:default/team-a');
const ADMIN = user('user:default/ada', 'group:default/Platform-Team');
const CAROL = user('user:default/carol');

describe('createDevopsMaturityPolicy', () => {
  // As a caller may write them: a short group name, and a user in another case.
  const policy = createDevopsMaturityPolicy({
    admins: ['platform-team'],
    unmatchedReaders: ['user:default/Carol'],
  });
  const decide = async (permission: any, who?: PolicyQueryUser) =>
    (await policy.handle({ permission }, who)).result;

  it("grants an assessment to the entity's owners, as the catalog's isEntityOwner rule", async () => {
    expect(
      await policy.handle(
        { permission: devopsMaturityAssessmentSubmitPermission },
        ALICE,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/alice', 'group:default/team-a'] },
      },
    });
  });

  it('grants any assessment and the unmatched events to admins only, whatever the case of a claim', async () => {
    expect(await decide(devopsMaturityAssessmentAdminPermission, ADMIN)).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await decide(devopsMaturityAssessmentAdminPermission, ALICE)).toBe(
      AuthorizeResult.DENY,
    );
    expect(await decide(devopsMaturityAssessmentAdminPermission, CAROL)).toBe(
      AuthorizeResult.DENY,
    );
    expect(await decide(devopsMaturityAssessmentAdminPermission)).toBe(
      AuthorizeResult.DENY,
    );
    expect(await decide(devopsMaturityUnmatchedReadPermission, ADMIN)).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await decide(devopsMaturityUnmatchedReadPermission, CAROL)).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await decide(devopsMaturityUnmatchedReadPermission, ALICE)).toBe(
      AuthorizeResult.DENY,
    );
    expect(await decide(devopsMaturityUnmatchedReadPermission, UNCLAIMED)).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('refuses an assessment outright to a user without ownership claims', async () => {
    expect(
      await decide(devopsMaturityAssessmentSubmitPermission, UNCLAIMED),
    ).toBe(AuthorizeResult.DENY);
    expect(await decide(devopsMaturityAssessmentSubmitPermission)).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('refuses to start on a ref that is not one', () => {
    expect(() => createDevopsMaturityPolicy({ admins: ['group:'] })).toThrow(
      'Entity reference "group:" was not on the form',
    );
  });

  it('allows every other permission without a delegate, and asks the delegate when there is one', async () => {
    expect(await decide(devopsMaturityReadPermission, ALICE)).toBe(
      AuthorizeResult.ALLOW,
    );
    const asked: string[] = [];
    const wrapped = createDevopsMaturityPolicy({
      delegate: {
        async handle(request) {
          asked.push(request.permission.name);
          return { result: AuthorizeResult.DENY };
        },
      },
    });
    for (const permission of [
      devopsMaturityReadPermission,
      devopsMaturityAssessmentAdminPermission,
    ]) {
      await wrapped.handle({ permission }, ALICE);
    }
    expect(asked).toEqual(['devops-maturity.scorecard.read']);
  });
});

describe('readDevopsMaturityPolicyOptions', () => {
  const read = (permissions: object) =>
    readDevopsMaturityPolicyOptions(
      new ConfigReader({ devopsMaturity: { permissions } }),
    );

  it('completes short refs as groups in the default namespace', () => {
    expect(
      read({
        admins: ['platform-team', 'user:ops/ada'],
        unmatchedReaders: [],
      }),
    ).toEqual({
      admins: ['group:default/platform-team', 'user:ops/ada'],
      unmatchedReaders: [],
    });
    expect(readDevopsMaturityPolicyOptions(new ConfigReader({}))).toEqual({
      admins: [],
      unmatchedReaders: [],
    });
  });

  it('names the key of a ref that is not one', () => {
    expect(() => read({ unmatchedReaders: ['ok', 'group:'] })).toThrow(
      'devopsMaturity.permissions.unmatchedReaders[1] is not an entity ref: "group:"',
    );
  });
});
