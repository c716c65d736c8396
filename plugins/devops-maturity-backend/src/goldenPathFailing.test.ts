import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { devopsMaturityReadPermission } from '@devops-maturity/backstage-plugin-common';
import request from 'supertest';
import { startPluginBackend } from './__testUtils__/backend';
import { component, group } from './__testUtils__/catalog';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

/** A component with `metadata.links` (and a title), as catalog-info.yaml would give it. */
function withLinks(
  entity: Entity,
  links: Array<{ url: string; type?: string; title?: string }>,
  title?: string,
): Entity {
  return { ...entity, metadata: { ...entity.metadata, links, title } };
}

const runbook = [
  { url: 'https://wiki/runbook', type: 'runbook', title: 'Runbook' },
];
const ci = { 'github.com/project-slug': 'acme/x' };

/**
 * An organisation with a team, its sub-team and a sibling: team-a owns a service directly and
 * its sub-team team-a1 owns three, one of them hidden from Alice; team-secret owns only a
 * service hidden from Alice.
 */
const entities = [
  group('org'),
  group('team-a', 'org'),
  group('team-a1', 'team-a'),
  // A title that sorts before team-a's ref: lists are sorted by the names people read.
  {
    ...group('team-b', 'org'),
    metadata: { name: 'team-b', title: 'Alpha squad' },
  },
  group('team-secret', 'org'),
  withLinks(component('a-bare', 'team-a'), [], 'A bare service'),
  component('a1-ci', 'team-a1', { annotations: ci }),
  withLinks(component('a1-ok', 'team-a1', { annotations: ci }), runbook),
  component('a1-hidden', 'team-a1'),
  withLinks(component('b-ok', 'team-b', { annotations: ci }), runbook),
  component('b-bare', 'team-b'),
  component('s-hidden', 'team-secret'),
];
const HIDDEN_FROM_ALICE = [
  'component:default/a1-hidden',
  'component:default/s-hidden',
];

/** Scorecards of the hidden services are denied to Alice, as a policy with conditions would. */
const decideAll = async (requests: any[], options: any) =>
  requests.map(r => ({
    result:
      r.permission.name === devopsMaturityReadPermission.name &&
      options.credentials.principal.userEntityRef === ALICE &&
      HIDDEN_FROM_ALICE.includes(r.resourceRef)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  })) as any;
const permissions = mockServices.permissions.mock({
  authorize: decideAll,
  authorizeConditional: decideAll,
});

/** A small RFC 4180 reader: the evidence holds quotes and commas. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

describe.each(databaseIds(databases))(
  'golden-path failing services on %p',
  databaseId => {
    let server: any;
    beforeAll(async () => {
      server = await startPluginBackend({
        knex: await databases.init(databaseId),
        entities,
        features: [permissions.factory],
      });
    });

    const get = (user: string, path: string) =>
      request(server)
        .get(`/api/devops-maturity/${path}`)
        .set('authorization', mockCredentials.user.header(user));
    const refs = (body: any) => body.items.map((i: any) => i.entityRef);

    it('lists exactly the services each cell of the matrix counts as failing, for every team and check', async () => {
      for (const user of [ALICE, BOB]) {
        const health = await get(user, 'golden-path?days=30');
        expect(health.status).toBe(200);
        const rows = [health.body.organisation, ...health.body.teams];
        // team-a includes team-a1's services, as in the matrix.
        expect(
          health.body.teams.find(
            (t: any) => t.ownerRef === 'group:default/team-a',
          ).entities,
        ).toBe(user === ALICE ? 3 : 4);
        let cells = 0;
        for (const row of rows) {
          for (const check of health.body.checks) {
            const cell = row.checks[check.id] ?? { passed: 0, applicable: 0 };
            const owner = row.ownerRef
              ? `&owner=${encodeURIComponent(row.ownerRef)}`
              : '';
            const failing = await get(
              user,
              `golden-path/failing?days=30&check=${check.id}${owner}`,
            );
            expect(failing.status).toBe(200);
            expect({
              user,
              team: row.ownerRef,
              check: check.id,
              failing: failing.body.items.length,
              applicable: failing.body.applicable,
            }).toEqual({
              user,
              team: row.ownerRef,
              check: check.id,
              failing: cell.applicable - cell.passed,
              applicable: cell.applicable,
            });
            cells += 1;
          }
        }
        expect(cells).toBe(rows.length * health.body.checks.length);
      }
    });

    it("lists a team's failing services with its sub-teams', with evidence and the fix, sorted by team", async () => {
      const res = await get(
        BOB,
        'golden-path/failing?days=30&check=runbook&owner=team-a',
      );
      expect(res.status).toBe(200);
      expect(res.body.check).toMatchObject({
        id: 'runbook',
        title: 'Runbook',
        howToFix:
          'Add a link with `type: runbook` (or "Runbook" in its title) to `metadata.links`.',
      });
      expect(res.body.owner).toEqual({ ownerRef: 'group:default/team-a' });
      expect(res.body.items).toEqual([
        {
          entityRef: 'component:default/a-bare',
          title: 'A bare service',
          ownerRef: 'group:default/team-a',
          level: expect.any(Number),
          evidence: 'no link of type or title "runbook"',
          statusNow: 'fail',
        },
        expect.objectContaining({
          entityRef: 'component:default/a1-ci',
          ownerRef: 'group:default/team-a1',
          evidence: 'no link of type or title "runbook"',
        }),
        expect.objectContaining({
          entityRef: 'component:default/a1-hidden',
          ownerRef: 'group:default/team-a1',
        }),
      ]);
      expect(res.body.applicable).toBe(4);

      // The whole organisation: by owner, then by service.
      const all = await get(BOB, 'golden-path/failing?days=30&check=ci');
      expect(refs(all.body)).toEqual([
        'component:default/b-bare',
        'component:default/a-bare',
        'component:default/a1-hidden',
        'component:default/s-hidden',
      ]);
      expect(all.body.items[0]).toMatchObject({
        ownerRef: 'group:default/team-b',
        ownerTitle: 'Alpha squad',
        evidence:
          'no CI annotation, no devops-maturity.io/ci annotation and no link of type "ci"',
      });
      expect(all.body.owner).toBeUndefined();
    });

    it('never lists, counts or reveals a service hidden from the reader', async () => {
      const team = await get(
        ALICE,
        'golden-path/failing?days=30&check=runbook&owner=group:default/team-a',
      );
      expect(refs(team.body)).toEqual([
        'component:default/a-bare',
        'component:default/a1-ci',
      ]);
      expect(team.body.applicable).toBe(3);
      const all = await get(ALICE, 'golden-path/failing?days=30&check=ci');
      expect(refs(all.body)).toEqual([
        'component:default/b-bare',
        'component:default/a-bare',
      ]);
      const csv = await get(
        ALICE,
        'golden-path/failing?days=30&check=ci&format=csv',
      );
      expect(JSON.stringify([team.body, all.body]) + csv.text).not.toMatch(
        /hidden|secret/,
      );
      // A team whose every service is hidden is, to Alice, as one that does not exist.
      const secret = await get(
        ALICE,
        'golden-path/failing?days=30&check=ci&owner=team-secret',
      );
      const absent = await get(
        ALICE,
        'golden-path/failing?days=30&check=ci&owner=team-nobody',
      );
      expect(secret.status).toBe(404);
      expect(absent.status).toBe(404);
      expect(secret.body.error.message).toBe(
        absent.body.error.message.replace('team-nobody', 'team-secret'),
      );
      expect(
        (
          await get(
            BOB,
            'golden-path/failing?days=30&check=ci&owner=team-secret',
          )
        ).body.items,
      ).toHaveLength(1);
    });

    it('answers the same list as CSV, with format=csv or Accept text/csv', async () => {
      const json = await get(BOB, 'golden-path/failing?days=30&check=runbook');
      const csv = await get(
        BOB,
        'golden-path/failing?days=30&check=runbook&format=csv',
      );
      expect(csv.status).toBe(200);
      expect(csv.type).toBe('text/csv');
      const [header, ...lines] = parseCsv(csv.text);
      expect(header).toEqual([
        'entityRef',
        'title',
        'ownerRef',
        'ownerTitle',
        'level',
        'check',
        'evidence',
        'statusNow',
        'howToFix',
        'docsUrl',
      ]);
      expect(lines).toEqual(
        json.body.items.map((i: any) => [
          i.entityRef,
          i.title ?? '',
          i.ownerRef ?? '',
          i.ownerTitle ?? '',
          String(i.level),
          'runbook',
          i.evidence,
          i.statusNow ?? '',
          json.body.check.howToFix,
          json.body.check.docsUrl ?? '',
        ]),
      );
      expect(lines).toHaveLength(5);
      // Nothing changed since the rows were computed: evaluated now, each still fails.
      expect(json.body.items.map((i: any) => i.statusNow)).toEqual(
        json.body.items.map(() => 'fail'),
      );
      const accepted = await get(
        BOB,
        'golden-path/failing?days=30&check=runbook',
      ).set('accept', 'text/csv');
      expect(accepted.text).toBe(csv.text);
    });

    it('refuses a bad check, an unknown parameter, a window it does not keep; 404 for an unknown team', async () => {
      const badCheck = await get(
        BOB,
        'golden-path/failing?days=30&check=no-such-check',
      );
      expect(badCheck.status).toBe(400);
      expect(badCheck.body.error.message).toMatch(
        /^check: unknown check 'no-such-check', expected one of .*runbook/,
      );
      const noCheck = await get(BOB, 'golden-path/failing?days=30');
      expect(noCheck.status).toBe(400);
      expect(noCheck.body.error.message).toMatch(/check/);
      const unknown = await get(
        BOB,
        'golden-path/failing?days=30&check=ci&dayz=30',
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/dayz/);
      expect(
        (await get(BOB, 'golden-path/failing?days=45&check=ci')).status,
      ).toBe(400);
      const badOwner = await get(BOB, 'golden-path/failing?check=ci&owner=:x');
      expect(badOwner.status).toBe(400);
      expect(badOwner.body.error.message).toMatch(/^Invalid query: owner: /);
      const nobody = await get(
        BOB,
        'golden-path/failing?check=ci&owner=team-nobody',
      );
      expect(nobody.status).toBe(404);
      expect(nobody.body.error.message).toBe(
        'No group or owner group:default/team-nobody in the catalog',
      );
    });
  },
);
