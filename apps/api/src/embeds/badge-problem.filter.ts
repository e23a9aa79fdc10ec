import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBadge } from '@modelpulse/core/embeds';
import { sendProblem, toProblem } from '../http/problem.filter';
import { TooManyRequestsProblem } from '../http/rate-limit';
import { sendEmbed } from './embed-response';

/** A bad badge URL stays bad: cached as briefly as the widgets' errors. */
const INVALID_MAX_AGE_SECONDS = 60;

/** The few words a grey badge says for a failed request. */
export function badgeMessageOf(status: number, fields: string[]): string {
  if (status === 429) return 'rate limited';
  if (status >= 500) return status === 503 ? 'unavailable' : 'error';
  return fields.length > 0 ? `invalid ${fields.join(', ')}` : 'invalid request';
}

/**
 * A badge URL always answers a badge. A `.svg` request that fails (a bad
 * `color` or `style`, over the embed limit, the database out of reach) is a
 * grey SVG saying why, with the problem's status and headers (`Retry-After`);
 * errors of the server and of the limit are never cached. A `.json` badge
 * over the limit is endpoint JSON with `isError`; its other errors, and a
 * renamed model's redirect, are the one problem shape. On `.svg` the
 * redirect's body is a badge too: no `.svg` URL ever answers JSON.
 */
@Catch()
export class BadgeProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const isSvg = request.routeOptions.url?.endsWith('.svg') ?? false;
    if (!isSvg && !(error instanceof TooManyRequestsProblem)) {
      sendProblem(reply, error, request);
      return;
    }
    const { problem, headers } = toProblem(error, {
      id: request.id,
      url: request.url,
      route: request.routeOptions.url,
      params: request.params,
    });
    const { metric } = request.params as { metric?: string };
    if (problem.status < 400) {
      // A renamed model's redirect: an <img> follows the Location; the body is a badge too, never JSON.
      const body = isSvg ? errorBadge(metric ?? '', 'moved').svg : JSON.stringify(problem);
      reply
        .status(problem.status)
        .headers(headers)
        .type(isSvg ? 'image/svg+xml; charset=utf-8' : 'application/problem+json')
        .send(body);
      return;
    }
    const fields = [...new Set((problem.errors ?? []).map((e) => e.field.split(/[.[]/)[0]))];
    const { svg, json } = errorBadge(metric ?? '', badgeMessageOf(problem.status, fields));
    reply.headers(headers);
    sendEmbed(request, reply, {
      body: isSvg ? svg : JSON.stringify(json),
      contentType: isSvg ? 'image/svg+xml; charset=utf-8' : 'application/json; charset=utf-8',
      status: problem.status,
      maxAgeSeconds: problem.status === 429 || problem.status >= 500 ? 0 : INVALID_MAX_AGE_SECONDS,
    });
  }
}
