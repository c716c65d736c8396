/**
 * Helpers for testing source modules of the devops-maturity plugin.
 *
 * @packageDocumentation
 */
import { Entity } from '@backstage/catalog-model';

/**
 * A catalog Component as the catalog would return it, owned by `group:default/team`, with the
 * annotations that identify it to a source.
 * @public
 */
export function testComponent(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team' }],
  };
}

/**
 * Retries an assertion until it holds or `timeoutMs` passes, for effects that happen after an
 * answer (the events backend answers 202 before it delivers): a condition, not a sleep.
 * @public
 */
export async function eventually(
  assertion: () => Promise<void>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }
}
