import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
// Real user tokens: the auth backend that issues them.
import authPlugin from '@backstage/plugin-auth-backend';
import * as authNode from '@backstage/plugin-auth-node';
import {
  devopsMaturityAssessmentAdminPermission,
  devopsMaturityAssessmentSubmitPermission,
  devopsMaturityReadPermission,
  devopsMaturityUnmatchedReadPermission,
} from '@devops-maturity/backstage-plugin-common';
import { devopsMaturityPlugin } from '../../plugin';

/** Owns `secret`, the restricted service: sees everything; an unmatched reader. */
export const BOB = 'user:default/bob';
/** In team-a, which owns `open`: `secret` is hidden from her. */
export const ALICE = 'user:default/alice';

const PUSH_ONLY = 'matrix-push-only-token-0123456789';
const READ_ONLY = 'matrix-read-only-token-0123456789';
const UNRESTRICTED = 'matrix-unrestricted-token-0123456789';

/** The callers, the matrix's columns. */
export const PRINCIPALS = [
  'no token',
  'wrong token',
  'user',
  'user who cannot see the entity',
  'unrestricted service',
  'push-scoped token',
  'read-scoped token',
] as const;
export type Principal = (typeof PRINCIPALS)[number];

/** How each caller and the backend are made, for the document. */
export const MATRIX_NOTES = [
  'no token: no Authorization header.',
  "wrong token: Bob's real user token with its signature altered (the real auth service checks it against the auth backend's keys).",
  "user: Bob, signed in through the real auth backend (the test's proxy sign-in provider calls the auth backend's own `signInWithCatalogUser`): a real user token, ownership claims from the catalog. Bob owns `secret`, sees everything, and may read unmatched events.",
  'user who cannot see the entity: Alice, signed in the same way, a member of team-a (the owner of `open`); the policy hides `secret` from her in the catalog and in the plugin.',
  'unrestricted service: a static token in `backend.auth.externalAccess` without access restrictions.',
  'push-scoped token: a static token restricted to `devops-maturity` and `devops-maturity.events.create`.',
  'read-scoped token: a static token restricted to `devops-maturity` and `devops-maturity.scorecard.read`.',
  "One backend (startTestBackend) with the real auth, httpAuth, userInfo, permissions and httpRouter services and the real catalog (from a file), permission and auth backends; no mock credentials. The policy is the test's: `catalog.entity.read` and `devops-maturity.scorecard.read` allow an entity's owners, and everyone for entities without the `restricted` label (`secret` has it); the plugin's own permissions as the policy module decides them (owners submit assessments, no admins here, Bob an unmatched reader).",
];

/**
 * Signs in whoever `?user=` names through the auth backend's own catalog sign-in: the token is
 * the auth backend's, signed with its keys, its ownership claims resolved from the catalog, as
 * a sign-in behind an authenticating proxy gets it.
 */
const testSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'matrix-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authNode.authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'matrix',
          factory: authNode.createProxyAuthProviderFactory({
            authenticator: authNode.createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              async authenticate({ req }) {
                return { result: { userEntityRef: String(req.query.user) } };
              },
            }),
            signInResolver: ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
          }),
        });
      },
    });
  },
});

const allowIf = (allowed: boolean): PolicyDecision => ({
  result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
});

/**
 * An organisation with a restricted service: `secret` (label `restricted`) is seen only by its
 * owner, in the catalog and in the plugin. The plugin's own permissions are decided as
 * plugins/permission-backend-module-devops-maturity decides them.
 */
const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'matrix-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(
            query: PolicyQuery,
            user?: PolicyQueryUser,
          ): Promise<PolicyDecision> {
            const claims = user?.info.ownershipEntityRefs ?? [];
            const { permission } = query;
            if (
              (isResourcePermission(permission, 'catalog-entity') &&
                permission.name === 'catalog.entity.read') ||
              isPermission(permission, devopsMaturityReadPermission)
            ) {
              return createCatalogConditionalDecision(permission as any, {
                anyOf: [
                  catalogConditions.isEntityOwner({ claims }),
                  { not: catalogConditions.hasLabel({ label: 'restricted' }) },
                ],
              });
            }
            if (
              isPermission(permission, devopsMaturityAssessmentSubmitPermission)
            )
              return createCatalogConditionalDecision(
                permission as any,
                catalogConditions.isEntityOwner({ claims }),
              );
            if (
              isPermission(permission, devopsMaturityAssessmentAdminPermission)
            )
              return allowIf(false);
            if (isPermission(permission, devopsMaturityUnmatchedReadPermission))
              return allowIf(user?.info.userEntityRef === BOB);
            return allowIf(true);
          },
        });
      },
    });
  },
});

function catalogFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-matrix-'));
  const file = path.join(dir, 'catalog.yaml');
  const component = (name: string, owner: string, labels = {}) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, labels },
    spec: { type: 'service', lifecycle: 'production', owner },
  });
  const user = (name: string, memberOf: string[]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: { memberOf },
  });
  const docs = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-a' },
      spec: { type: 'team', children: [] },
    },
    user('alice', ['team-a']),
    user('bob', []),
    component('open', 'group:default/team-a'),
    component('secret', BOB, { restricted: 'true' }),
  ];
  fs.writeFileSync(file, docs.map(d => JSON.stringify(d)).join('\n---\n'));
  return file;
}

/**
 * The backend of the matrix, started and ready: the catalog has processed its file and the
 * plugin has mirrored both services. With the token each principal sends (none for no token).
 */
export async function startMatrixBackend(): Promise<{
  server: any;
  tokens: Record<Principal, string | undefined>;
}> {
  const staticToken = (
    token: string,
    subject: string,
    permission?: string,
  ) => ({
    type: 'static',
    options: { token, subject },
    ...(permission && {
      accessRestrictions: [{ plugin: 'devops-maturity', permission }],
    }),
  });
  const { server } = await startTestBackend({
    features: [
      devopsMaturityPlugin,
      catalogPlugin,
      permissionPlugin,
      policyModule,
      authPlugin,
      testSignIn,
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      permissionsServiceFactory,
      schedulerServiceFactory,
      mockServices.rootLogger.factory({ level: 'error' }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            baseUrl: 'http://localhost:7007',
            auth: {
              externalAccess: [
                staticToken(PUSH_ONLY, 'ci', 'devops-maturity.events.create'),
                staticToken(
                  READ_ONLY,
                  'reports',
                  'devops-maturity.scorecard.read',
                ),
                staticToken(UNRESTRICTED, 'other-plugin'),
              ],
            },
          },
          auth: { providers: { matrix: { enabled: true } } },
          permission: { enabled: true },
          catalog: {
            rules: [{ allow: ['Component', 'Group', 'User'] }],
            locations: [{ type: 'file', target: catalogFile() }],
            processingInterval: { seconds: 1 },
          },
          devopsMaturity: {
            catalog: {
              schedule: {
                frequency: { seconds: 1 },
                timeout: { minutes: 1 },
                initialDelay: { seconds: 0 },
              },
            },
          },
        },
      }),
    ],
  });

  // Asked as the unrestricted service, so that no user's visible set is computed (and kept
  // for its time to live) before the catalog and the mirror are complete.
  const asService = (p: string) =>
    request(server).get(p).set('authorization', `Bearer ${UNRESTRICTED}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const alice = await asService(
      '/api/catalog/entities/by-name/user/default/alice',
    );
    const mirrored = await Promise.all(
      ['open', 'secret'].map(name =>
        asService(
          `/api/devops-maturity/entities/component/default/${name}/dora`,
        ),
      ),
    );
    if (
      alice.body.relations?.some((r: any) => r.type === 'memberOf') &&
      mirrored.every(r => r.status === 200)
    )
      break;
    if (Date.now() > deadline)
      throw new Error('the catalog or the mirror was not ready in 30 s');
    await new Promise(resolve => setTimeout(resolve, 200));
  }

  const signIn = async (user: string) => {
    const res = await request(server).get(
      `/api/auth/matrix/refresh?user=${encodeURIComponent(user)}`,
    );
    if (res.status !== 200)
      throw new Error(`the sign-in of ${user} answered ${res.status}`);
    return res.body.backstageIdentity.token as string;
  };
  const bob = await signIn(BOB);
  const [header, payload, signature] = bob.split('.');
  // Another signature of the same length: a token forged from a real one.
  const forged = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  return {
    server,
    tokens: {
      'no token': undefined,
      'wrong token': `${header}.${payload}.${forged}`,
      user: bob,
      'user who cannot see the entity': await signIn(ALICE),
      'unrestricted service': UNRESTRICTED,
      'push-scoped token': PUSH_ONLY,
      'read-scoped token': READ_ONLY,
    },
  };
}
