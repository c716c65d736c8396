import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AUTHORIZE_BATCH, ReadAccess } from './ReadAccess';

const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'team', lifecycle: 'production' },
});

describe('ReadAccess', () => {
  it('asks the permission backend in parts small enough for its 100 kB limit, and keeps what each allows', async () => {
    const names = Array.from({ length: 1000 }, (_, n) => `svc-${n}`);
    const sizes: number[] = [];
    const permissions = mockServices.permissions.mock({
      authorize: async requests => {
        sizes.push(requests.length);
        // Every third service's scorecards are private.
        return requests.map(r => ({
          result: /svc-\d*[0369]$/.test((r as any).resourceRef)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        })) as any;
      },
    });
    const access = new ReadAccess({
      httpAuth: mockServices.httpAuth(),
      permissions,
      catalog: catalogServiceMock({ entities: names.map(component) }),
      kinds: ['Component'],
      scoredEntities: async () => names.map(n => `component:default/${n}`),
    });
    const reader = await access.reader({
      headers: {
        authorization: mockCredentials.user.header('user:default/alice'),
      },
    } as any);
    const visibility = await reader.visibility();
    expect(Math.max(...sizes)).toBeLessThanOrEqual(AUTHORIZE_BATCH);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(visibility.all).toBe(false);
    const visible = visibility.all ? [] : [...visibility.refs];
    expect(visible).toHaveLength(names.filter(n => !/[0369]$/.test(n)).length);
    expect(await reader.canSee('component:default/svc-1')).toBe(true);
    expect(await reader.canSee('Component:default/SVC-3')).toBe(false);
  });
});
