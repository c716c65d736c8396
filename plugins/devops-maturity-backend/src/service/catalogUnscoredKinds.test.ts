import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_FILTER_CHARACTERS_PER_REQUEST,
  catalogUnscoredKinds,
} from './CatalogMirror';

/** The length of a request's filters in its query string, as the catalog client sends them. */
const filterCharacters = (filter: unknown) =>
  (filter as Array<Record<string, string>>)
    .map(f =>
      Object.entries(f)
        .map(([k, v]) => encodeURIComponent(`${k}=${v}`).length + 8)
        .reduce((a, b) => a + b, 0),
    )
    .reduce((a, b) => a + b, 0);

describe('catalogUnscoredKinds', () => {
  it.each([
    ['short', 10],
    ['long', 500],
  ])(
    'asks the catalog for many %s annotations in requests of bounded size, and finds each',
    async (_, valueLength) => {
      // A push of 1,000 items that match no scored entity: their filters in one request overflow
      // the URL (the real catalog answered 431 Request Header Fields Too Large).
      const value = (i: number) => `acme/repo-${i}-`.padEnd(valueLength, 'x');
      const catalog = catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: {
              name: 'db',
              annotations: { 'github.com/project-slug': value(999) },
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
      const pairs = Array.from({ length: 1000 }, (__, i) => ({
        annotation: 'github.com/project-slug',
        value: value(i),
      }));

      const found = await lookup.byAnnotation([...pairs, pairs[999]]);

      expect(found).toEqual(
        new Map([
          [
            `github.com/project-slug=${value(999)}`,
            { entityRef: 'resource:default/db', kind: 'Resource' },
          ],
        ]),
      );
      const filtersPerRequest = getEntities.mock.calls.map(
        ([request]) => (request?.filter as unknown[]).length,
      );
      const charactersPerRequest = getEntities.mock.calls.map(([request]) =>
        filterCharacters(request?.filter),
      );
      expect(Math.max(...charactersPerRequest)).toBeLessThanOrEqual(
        ANNOTATION_FILTER_CHARACTERS_PER_REQUEST,
      );
      // Each annotation asked once: the duplicate is not.
      expect(filtersPerRequest.reduce((a, b) => a + b, 0)).toBe(1000);
    },
  );
});
