import { Entity } from '@backstage/catalog-model';

/**
 * Whether an entity can have delivery data: the kinds the backend scores by default
 * (Components). Use it in `EntityLayout.Route if={...}`.
 * @public
 */
export function isDoraAvailable(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'component';
}
