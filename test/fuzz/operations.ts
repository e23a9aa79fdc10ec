/**
 * The operations to fuzz, read from the served OpenAPI document (so a new
 * route is fuzzed without editing the suite), plus the site's two pages,
 * which the document leaves out on purpose.
 */

export type Schema = Record<string, any>;

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}

/** What an error answer of the route must be: its own type, never another layer's. */
export type ErrorKind = 'problem' | 'svg' | 'html';

export interface Operation {
  /** `GET /v1/models/{org}/{name}`: the row of the report. */
  label: string;
  method: string;
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema (refs resolved lazily through `resolve`), when the route takes one. */
  body: Schema | null;
  secured: boolean;
  errorKind: ErrorKind;
  /** Statuses whose documented answer is plain JSON rather than a problem (the shields.io badge's 404). */
  plainJsonStatuses: Set<number>;
  /** 5xx statuses the document promises, such as oEmbed's 501 for a format it does not serve. */
  documentedServerErrors: Set<number>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const PROBLEM_REF = '#/components/schemas/ProblemDto';

export function resolver(document: Schema): (schema: Schema) => Schema {
  return function resolve(schema: Schema): Schema {
    if (typeof schema.$ref === 'string') {
      const target = (schema.$ref as string)
        .replace(/^#\//, '')
        .split('/')
        .reduce((node: Schema, key) => node[key], document);
      return resolve(target);
    }
    if (Array.isArray(schema.allOf) && schema.allOf.length === 1)
      return resolve({ ...schema.allOf[0], ...schema, allOf: undefined });
    return schema;
  };
}

function errorKindOf(path: string): ErrorKind {
  return path.startsWith('/badges/') && path.endsWith('.svg') ? 'svg' : 'problem';
}

export function operationsOf(document: Schema): Operation[] {
  const resolve = resolver(document);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Schema>)) {
    for (const method of METHODS) {
      const operation = item[method] as Schema | undefined;
      if (!operation) continue;
      const responses = Object.entries((operation.responses ?? {}) as Record<string, Schema>);
      operations.push({
        label: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: ((operation.parameters ?? []) as Schema[])
          .map((parameter) => resolve(parameter))
          .filter((parameter) => parameter.in === 'path' || parameter.in === 'query')
          .map((parameter) => ({
            name: parameter.name,
            in: parameter.in,
            required: parameter.required === true || parameter.in === 'path',
            schema: resolve(parameter.schema ?? { type: 'string' }),
          })),
        body: operation.requestBody?.content?.['application/json']?.schema ?? null,
        secured: Array.isArray(operation.security) && operation.security.length > 0,
        errorKind: errorKindOf(path),
        plainJsonStatuses: new Set(
          responses
            .filter(([, response]) => {
              const schema = response.content?.['application/json']?.schema;
              return schema !== undefined && schema.$ref !== PROBLEM_REF;
            })
            .map(([status]) => Number(status)),
        ),
        documentedServerErrors: new Set(responses.map(([status]) => Number(status)).filter((status) => status >= 500)),
      });
    }
  }
  return operations;
}

/** The home page's filters are the trending ranking's; the document's copy of them is borrowed. */
export function siteOperations(document: Schema): Operation[] {
  // The query parameters only: the page has no use for the read's own headers (If-None-Match).
  const trending = ((document.paths['/v1/rankings/trending']?.get?.parameters ?? []) as Parameter[]).filter(
    (parameter) => parameter.in === 'query',
  );
  const model = ((document.paths['/v1/models/{org}/{name}']?.get?.parameters ?? []) as Parameter[]).filter(
    (parameter) => parameter.in === 'path',
  );
  const page = (path: string, parameters: Parameter[]): Operation => ({
    label: `GET ${path} (site)`,
    method: 'GET',
    path,
    parameters: parameters.map((parameter) => ({
      ...parameter,
      required: parameter.required === true || parameter.in === 'path',
    })),
    body: null,
    secured: false,
    errorKind: 'html',
    plainJsonStatuses: new Set(),
    documentedServerErrors: new Set(),
  });
  return [page('/', trending), page('/models/{org}/{name}', model)];
}
