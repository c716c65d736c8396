import { Entity } from '@backstage/catalog-model';

/** A component with the relations the catalog would have computed for it. */
export function component(
  name: string,
  owner: string,
  extra: { system?: string; annotations?: Record<string, string> } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations: extra.annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner,
      system: extra.system,
    },
    relations: [
      { type: 'ownedBy', targetRef: `group:default/${owner}` },
      ...(extra.system
        ? [{ type: 'partOf', targetRef: `system:default/${extra.system}` }]
        : []),
    ],
  };
}

export function group(name: string, parent?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [], parent },
    relations: parent
      ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
      : [],
  };
}
