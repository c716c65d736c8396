import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogUnscoredKinds } from './CatalogMirror';

describe('catalogUnscoredKinds', () => {
  it('asks the catalog for many annotations in requests of bounded size, and finds each', async () => {
    // A push of 1,000 items that match no scored entity: their filters in one request overflow
    // the URL (the real catalog answered 431 Request Header Fields Too Large).
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: 'db',
            annotations: { 'github.com/project-slug': 'acme/repo-999' },
          },
        },
      ],
    });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    const lookup = catalogUnscoredKinds({
      catalog,
      auth: mockServices.auth(),
      kinds: ['Component'],
    });
    const pairs = Array.from({ length: 1000 }, (_, i) => ({
      annotation: 'github.com/project-slug',
      value: `acme/repo-${i}`,
    }));

    const found = await lookup.byAnnotation([...pairs, pairs[999]]);

    expect(found).toEqual(
      new Map([
        [
          'github.com/project-slug=acme/repo-999',
          { entityRef: 'resource:default/db', kind: 'Resource' },
        ],
      ]),
    );
    const filtersPerRequest = getEntities.mock.calls.map(
      ([request]) => (request?.filter as unknown[]).length,
    );
    expect(Math.max(...filtersPerRequest)).toBeLessThanOrEqual(50);
    // Each annotation asked once: the duplicate is not.
    expect(filtersPerRequest.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});
