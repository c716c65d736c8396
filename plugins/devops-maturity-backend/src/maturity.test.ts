import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  CALMS_QUESTIONS,
  devopsMaturityAssessmentSubmitPermission,
} from '@devops-maturity/backstage-plugin-common';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const owner = mockCredentials.user.header('user:default/owner');
const stranger = mockCredentials.user.header('user:default/stranger');

const entities = [
  group('team-a'),
  component('a1', 'team-a', {
    system: 'shop',
    annotations: {
      'github.com/project-slug': 'acme/a1',
      'backstage.io/techdocs-ref': 'dir:.',
    },
  }),
  component('a2', 'team-a'),
];

/**
 * The permission policy stands in for the adopter's: the submit permission is granted to
 * `user:default/owner` only, as the catalog's isEntityOwner rule would for team-a's member.
 */
function decide(permissionName: string, userEntityRef?: string) {
  if (permissionName === devopsMaturityAssessmentSubmitPermission.name)
    return userEntityRef === 'user:default/owner'
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;
  if (permissionName.startsWith('devops-maturity.assessment'))
    return AuthorizeResult.DENY; // nobody is an administrator here
  return AuthorizeResult.ALLOW;
}
const decideAll = async (requests: any[], options: any) =>
  requests.map(r => ({
    result: decide(
      r.permission.name,
      (options.credentials.principal as any).userEntityRef,
    ),
  })) as any;
const permissions = mockServices.permissions.mock({
  authorize: decideAll,
  authorizeConditional: decideAll,
});

async function startBackend(databaseId: Parameters<typeof databases.init>[0]) {
  return startPluginBackend({
    knex: await databases.init(databaseId),
    entities,
    features: [permissions.factory],
  });
}

const api = (path: string) => `/api/devops-maturity/${path}`;
const answers = (v: number) =>
  Object.fromEntries(CALMS_QUESTIONS.map(q => [q.id, v]));

describe.each(databaseIds(databases))('maturity model on %p', databaseId => {
  let server: any;
  beforeAll(async () => {
    server = await startBackend(databaseId);
  });

  it("answers an entity's level, checks with evidence, CALMS and next steps", async () => {
    const res = await request(server)
      .get(api('entities/component/default/a1/maturity'))
      .set('authorization', owner);
    expect(res.status).toBe(200);
    const checks = Object.fromEntries(
      res.body.checks.map((c: any) => [c.id, c]),
    );
    expect(checks.ci).toMatchObject({
      status: 'pass',
      evidence: 'github.com/project-slug: acme/a1',
    });
    expect(checks.description).toMatchObject({
      status: 'fail',
      howToFix: 'Add `metadata.description` to catalog-info.yaml.',
    });
    // Owned by a group, lifecycle set, CI: only the description is missing for Managed.
    expect(res.body).toMatchObject({ level: 1, name: 'Initial' });
    expect(res.body.nextSteps.map((s: any) => s.label)).toEqual([
      'Description',
    ]);
    expect(res.body.calms.basis).toBe('signals-only');
    expect(res.body.history).toHaveLength(1);
  });

  it('takes an assessment only from the owning team, validated, with author and history', async () => {
    const put = (auth: string, body: object) =>
      request(server)
        .put(api('entities/component/default/a1/calms/assessment'))
        .set('authorization', auth)
        .send(body);

    const denied = await put(stranger, { answers: answers(4) });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'Only members of the team that owns component:default/a1 may submit its assessment',
    );
    expect(
      (await put(mockCredentials.service.header(), { answers: answers(4) }))
        .status,
    ).toBe(403);

    const bad = await put(owner, {
      answers: { ...answers(4), 'lean.wip-limits': 9 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'answers.lean.wip-limits must be an integer from 1 to 5',
    );

    let current = await request(server)
      .get(api('entities/component/default/a1/calms/assessment'))
      .set('authorization', stranger);
    expect(current.body.current).toBeNull();

    expect((await put(owner, { answers: answers(2) })).status).toBe(200);
    expect((await put(owner, { answers: answers(5) })).status).toBe(200);
    current = await request(server)
      .get(api('entities/component/default/a1/calms/assessment'))
      .set('authorization', stranger);
    expect(current.body.current).toMatchObject({
      author: 'user:default/owner',
      answers: answers(5),
    });
    expect(current.body.history).toHaveLength(2);
    expect(current.body.questions).toHaveLength(CALMS_QUESTIONS.length);

    const calms = await request(server)
      .get(api('entities/component/default/a1/calms'))
      .set('authorization', stranger);
    expect(calms.body.basis).toBe('signals-and-assessment');
    const sharing = calms.body.pillars.find((p: any) => p.pillar === 'sharing');
    // description fail, lifecycle, system, techdocs pass, runbook and adr fail: 3 of 6 = 50;
    // (50 + 100) / 2
    expect(sharing).toMatchObject({
      signalsScore: 50,
      assessmentScore: 100,
      score: 75,
    });
  });

  it('ranks by level and reports golden-path health per team', async () => {
    const ranking = await request(server)
      .get(api('scorecards?sort=maturityLevel&order=desc'))
      .set('authorization', owner);
    expect(ranking.status).toBe(200);
    expect(
      ranking.body.items.map((i: any) => [i.entityRef, i.maturity.level]),
    ).toEqual([
      ['component:default/a1', 1],
      ['component:default/a2', 1],
    ]);
    expect(ranking.body.items[1].maturity.checks.ci).toBe('fail');

    const health = await request(server)
      .get(api('golden-path'))
      .set('authorization', owner);
    expect(health.status).toBe(200);
    expect(health.body.organisation).toMatchObject({
      entities: 2,
      levels: { '1': 2 },
    });
    expect(health.body.organisation.checks.ci).toEqual({
      passed: 1,
      applicable: 2,
    });
    expect(health.body.teams.map((t: any) => t.ownerRef)).toEqual([
      'group:default/team-a',
    ]);
    expect(
      (
        await request(server)
          .get(api('golden-path?days=45'))
          .set('authorization', owner)
      ).status,
    ).toBe(400);
  });
});
