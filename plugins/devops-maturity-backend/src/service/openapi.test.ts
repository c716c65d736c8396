import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { createRouter } from './router';

/** Every route the router serves is documented in the OpenAPI spec, and nothing else is. */
describe('openapi.yaml', () => {
  it('documents exactly the routes of the router', async () => {
    const spec = parse(
      fs.readFileSync(
        path.resolve(__dirname, '../schema/openapi.yaml'),
        'utf8',
      ),
    );
    const documented = Object.entries(spec.paths as Record<string, object>)
      .flatMap(([p, ops]) =>
        Object.keys(ops).map(
          m => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`,
        ),
      )
      .sort();
    const router: any = await createRouter({} as any);
    const served = router.stack
      .filter((layer: any) => layer.route)
      .flatMap((layer: any) =>
        Object.keys(layer.route.methods).map(
          m => `${m.toUpperCase()} ${layer.route.path}`,
        ),
      )
      .sort();
    expect(served).toEqual(documented);
  });
});
