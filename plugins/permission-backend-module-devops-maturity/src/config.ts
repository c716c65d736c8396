import { Config } from '@backstage/config';
import { DevopsMaturityPolicyOptions, normalizeRef } from './policy';

/**
 * Reads `devopsMaturity.permissions` into policy options. Refs are completed as the policy
 * compares them (`platform-team` is `group:default/platform-team`); a ref that is not one
 * stops the start with the key that holds it.
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
        return normalizeRef(ref);
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
