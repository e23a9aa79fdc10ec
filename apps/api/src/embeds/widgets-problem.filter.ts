import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from '../http/problem.filter';
import { sendEmbed } from './embed-response';

/** Errors are cached briefly: a model created a minute later should not stay missing for long. */
const ERROR_MAX_AGE_SECONDS = 60;

/**
 * The one problem shape, sent with the embed headers: a page on another
 * origin that asked for a widget, chart or oEmbed answer can read why it
 * failed (CORS, as on every GET), and a redirect of a renamed model is followed inside an
 * iframe too. Server errors keep the strict headers and are never cached.
 */
@Catch()
export class WidgetsProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, headers } = toProblem(error, {
      id: request.id,
      url: request.url,
      route: request.routeOptions.url,
      params: request.params,
    });
    reply.headers(headers);
    if (problem.status >= 500) {
      reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
      return;
    }
    const maxAge = /max-age=(\d+)/.exec(headers['Cache-Control'] ?? '');
    // Caches hand this answer to many requests: one request's id would be wrong for the others, and break its ETag.
    const { requestId: _shared, ...cacheable } = problem;
    sendEmbed(request, reply, {
      body: JSON.stringify(cacheable),
      contentType: 'application/problem+json; charset=utf-8',
      status: problem.status,
      // A 429 is this client's alone: a cache must not hand it to others behind the same proxy.
      maxAgeSeconds: problem.status === 429 ? 0 : maxAge ? Number(maxAge[1]) : ERROR_MAX_AGE_SECONDS,
    });
  }
}
