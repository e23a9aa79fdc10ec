import type { FastifyRequest } from 'fastify';

const ROUTE = Symbol('modelpulse.route');

type RoutedRequest = FastifyRequest & { [ROUTE]?: string | null };

/**
 * The route pattern the request matched (`/v1/models/:org/:name`), or
 * undefined when none did. Fastify's `request.routeOptions` makes a new
 * object of a dozen fields at every read; the hooks of one request ask for
 * the pattern several times, so it is read once and kept on the request.
 */
export function routeOf(request: FastifyRequest): string | undefined {
  const routed = request as RoutedRequest;
  let route = routed[ROUTE];
  if (route === undefined) route = routed[ROUTE] = request.routeOptions.url ?? null;
  return route ?? undefined;
}
