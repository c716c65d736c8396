/**
 * The value of a delivery header in an event's metadata, or undefined: the events backend
 * hands subscribers the webhook's HTTP headers, with lower-case names (`x-github-delivery`).
 * Events that reached this backend over the events bus from another one may carry none.
 * @public
 */
export function deliveryHeader(
  metadata: Record<string, string | string[] | undefined> | undefined,
  name: string,
): string | undefined {
  const value = metadata?.[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first ? first : undefined;
}
