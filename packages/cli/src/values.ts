import { usageError } from './errors';

/** An instant with its offset (`Z`, `+02:00`, `+0200`, `+02`), as the push API takes them. */
const INSTANT =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** `--option`'s time as UTC ISO-8601, or a usage error naming the option. */
export function instantOption(option: string, value: string): string {
  const ms = INSTANT.test(value) ? Date.parse(normalOffset(value)) : NaN;
  if (Number.isNaN(ms)) {
    throw usageError(
      `${option}: '${value}' is not an ISO-8601 date-time with an offset (e.g. 2026-11-20T10:09:30Z)`,
    );
  }
  return new Date(ms).toISOString();
}

/** Date.parse reads `+02:00` everywhere; `+0200` and `+02` are written that way first. */
function normalOffset(value: string): string {
  return value.replace(
    /([+-]\d{2})(\d{2})?$/,
    (_, hours, minutes) => `${hours}:${minutes ?? '00'}`,
  );
}

/** One of `allowed`, or a usage error naming the option and the choices. */
export function choiceOption<T extends string>(
  option: string,
  value: string,
  allowed: readonly T[],
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`${option}: '${value}' is not one of ${allowed.join(', ')}`);
}

/**
 * An entity ref in the catalog's full form, lower case, as the backend compares them:
 * `[kind:][namespace/]name` with kind `component` and namespace `default` when left out.
 */
export function fullEntityRef(ref: string): string {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  if (!match) {
    throw usageError(
      `--entity: '${ref}' is not an entity ref (kind:namespace/name, e.g. component:default/checkout-api)`,
    );
  }
  const [, kind = 'component', namespace = 'default', name] = match;
  return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
}

/** `key=value` labels, repeatable. */
export function labelsOption(values: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0) throw usageError(`--label: '${value}' is not key=value`);
    labels[value.slice(0, at)] = value.slice(at + 1);
  }
  return labels;
}

/** An http(s) link, or a usage error naming the option. */
export function linkOption(option: string, value: string): string {
  if (!/^https?:\/\//i.test(value))
    throw usageError(`${option}: '${value}' is not an http or https link`);
  return value;
}
