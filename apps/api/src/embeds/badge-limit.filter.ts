import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadgesService } from '@modelpulse/core/embeds';
import { TooManyRequestsProblem } from '../http/rate-limit';
import { sendEmbed } from './embed-response';

/**
 * A badge over the embed limit is still a badge: a grey "rate limited"
 * SVG (or endpoint JSON with `isError`) with status 429, `Retry-After` and
 * the rate-limit headers, never cached. Other errors go to the one filter.
 */
@Catch(TooManyRequestsProblem)
export class BadgeLimitFilter implements ExceptionFilter {
  constructor(private readonly badges: BadgesService) {}

  catch(problem: TooManyRequestsProblem, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>().headers(problem.headers);
    const { metric } = request.params as { metric?: string };
    const { svg, json } = this.badges.tooManyRequests(metric ?? '');
    const isSvg = request.routeOptions.url?.endsWith('.svg') ?? false;
    sendEmbed(request, reply, {
      body: isSvg ? svg : JSON.stringify(json),
      contentType: isSvg ? 'image/svg+xml; charset=utf-8' : 'application/json; charset=utf-8',
      status: 429,
      maxAgeSeconds: 0,
    });
  }
}
