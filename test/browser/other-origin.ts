import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtherOrigin {
  /** The blog post of `startOtherOrigin`. */
  url: string;
  /**
   * A page of this other site with `html` pasted into it as it is, and
   * nothing else of the site's own styling near it (no width or height for
   * iframes), so a snippet shows at the size it gives itself. Its address.
   */
  paste(html: string): string;
  close(): Promise<void>;
}

/** A page that holds a pasted snippet and nothing that could resize it: no margin, no iframe rule. */
function pastedPage(html: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A page with a modelpulse snippet pasted in</title>
<link rel="icon" href="data:,">
<style>body{margin:0;font:16px/1.5 Georgia,serif;color:#222;background:#fffdf7}</style>
</head>
<body>
<main>
${html}
</main>
</body>
</html>
`;
}

/**
 * Another site (another port is another origin) that embeds modelpulse the
 * way a blog post would: the trending widget in an iframe and a badge in an
 * img, pasted from the snippets the model page offers; and, with `paste`,
 * pages holding any snippet as a reader would paste it.
 */
export async function startOtherOrigin(appUrl: string): Promise<OtherOrigin> {
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A blog post that embeds modelpulse</title>
<link rel="icon" href="data:,">
<style>
body{margin:0;padding:1rem;font:16px/1.5 Georgia,serif;color:#222;background:#fffdf7}
main{max-width:40rem;margin:0 auto}
iframe{display:block;border:0;width:100%;max-width:400px;height:520px}
</style>
</head>
<body>
<main>
<h1>What is taking off in open models</h1>
<p>DeepSeek-R1 is everywhere this week:
<a href="${appUrl}/models/deepseek-ai/DeepSeek-R1"><img id="badge" src="${appUrl}/badges/deepseek-ai/DeepSeek-R1/downloads.svg" alt="downloads of deepseek-ai/DeepSeek-R1"></a></p>
<p>The leaderboard, live from modelpulse:</p>
<iframe id="widget" src="${appUrl}/embed/trending?limit=5" title="Trending open models on modelpulse"></iframe>
</main>
</body>
</html>
`;
  const pasted: string[] = [];
  const server: Server = createServer((request, response) => {
    const index = /^\/pasted\/(\d+)$/.exec(request.url ?? '');
    const body = request.url === '/' ? page : index ? pasted[Number(index[1])] : undefined;
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    paste: (html) => `http://127.0.0.1:${port}/pasted/${pasted.push(pastedPage(html)) - 1}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
