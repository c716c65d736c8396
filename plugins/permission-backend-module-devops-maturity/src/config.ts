import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { DevopsMaturityPolicyOptions } from './policy';

/**
 * Reads `devopsMaturity.permissions` into policy options. Refs are completed as the catalog
 * spells ownership claims (`platform-team` is `group:default/platform-team`); a ref that is
 * not one stops the start with the key that holds it.
 * @public
 */
export function readDevopsMaturityPolicyOptions(
  config: Config,
): Pick<DevopsMaturityPolicyOptions, 'admins' | 'unmatchedReaders'> {
  const refs = (key: string) =>
    (
      config.getOptionalStringArray(`devopsMaturity.permissions.${key}`) ?? []
    ).map((ref, i) => {
      try {
        return stringifyEntityRef(
          parseEntityRef(ref, {
            defaultKind: 'group',
            defaultNamespace: 'default',
          }),
        );
      } catch (e) {
        throw new Error(
          `devopsMaturity.permissions.${key}[${i}] is not an entity ref: ${JSON.stringify(
            ref,
          )}`,
        );
      }
    });
  return { admins: refs('admins'), unmatchedReaders: refs('unmatchedReaders') };
}
