/**
 * A permission policy for the devops-maturity plugin, safe by default.
 *
 * @packageDocumentation
 */
export { permissionModuleDevopsMaturityPolicy as default } from './module';
export {
  createDevopsMaturityPolicy,
  type DevopsMaturityPolicyOptions,
} from './policy';
export { readDevopsMaturityPolicyOptions } from './config';
