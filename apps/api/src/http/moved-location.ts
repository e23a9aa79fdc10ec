import { splitModelId } from '@modelpulse/core/catalog';

/**
 * Where a request for a renamed model's old id goes: the same route with the
 * new id in `:org` and `:name`, the other parameters and the query string as
 * they came. Relative (RFC 9110 allows it): it resolves against whatever
 * address the client used, so it holds behind any proxy and whatever
 * `PUBLIC_URL` says.
 */
export function movedLocation(
  route: string,
  params: Readonly<Record<string, string | undefined>>,
  url: string,
  movedTo: string,
): string {
  const { organization, name } = splitModelId(movedTo);
  const values: Record<string, string | undefined> = { ...params, org: organization, name };
  const path = route.replace(/:([A-Za-z0-9_]+)/g, (_, key: string) => encodeURIComponent(values[key] ?? ''));
  const query = url.indexOf('?');
  return query === -1 ? path : path + url.slice(query);
}
