/** `Link: <...>; rel="next"` for the page after this one: the same query with the new cursor. */
export function nextLink(publicUrl: string, requestUrl: string, cursor: string): string {
  const url = new URL(requestUrl, 'http://placeholder');
  url.searchParams.set('cursor', cursor);
  return `<${publicUrl}${url.pathname}${url.search}>; rel="next"`;
}
