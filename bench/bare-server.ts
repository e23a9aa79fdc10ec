/**
 * The baseline: a bare node:http server answering each path with the bytes
 * and headers the API sent for it, from memory. Started as a process of its
 * own, like the API, with the file of answers as its argument; says
 * `listening <port>` on standard output when it is ready.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  bodyBase64: string;
}

const file = process.argv[2];
const answers = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
if (file) {
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, RecordedAnswer>;
  for (const [path, answer] of Object.entries(recorded)) {
    const body = Buffer.from(answer.bodyBase64, 'base64');
    answers.set(path, {
      status: answer.status,
      headers: { ...answer.headers, 'content-length': String(body.length) },
      body,
    });
  }
}

const server = createServer((request, response) => {
  const answer = answers.get(request.url ?? '');
  if (!answer) {
    response.writeHead(answers.size === 0 ? 200 : 404, { 'content-type': 'text/plain', 'content-length': '2' });
    response.end('ok');
    return;
  }
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
