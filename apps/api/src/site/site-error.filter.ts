import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderErrorPage } from '@modelpulse/core/site';
import { toProblem } from '../http/problem.filter';

/**
 * The site's errors as pages for people: the same statuses and headers as
 * the API's problems (a renamed model's 301 keeps its `Location`, the page
 * path under the new id), with an HTML body instead of problem+json.
 */
@Catch()
export class SiteErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const { problem, headers } = toProblem(error, {
      id: request.id,
      url: request.url,
      route: request.routeOptions.url,
      params: request.params,
    });
    void http
      .getResponse<FastifyReply>()
      .status(problem.status)
      .headers(headers)
      .type('text/html; charset=utf-8')
      .send(renderErrorPage(problem));
  }
}
