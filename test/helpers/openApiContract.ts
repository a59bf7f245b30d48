import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One answer of the server, as a test saw it. */
export interface ObservedResponse {
  method: string;
  /** Path and query as sent. */
  url: string;
  status: number;
  contentType: string;
  text: string;
}

type Schema = Record<string, unknown>;
interface ResponseObject {
  description: string;
  content?: Record<string, { schema: Schema }>;
}
interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}
interface OperationObject {
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

interface DocumentedPath {
  template: string;
  pattern: RegExp;
  methods: Record<string, OperationObject>;
}

/** A request as it went over the wire. */
export interface SentRequest {
  method: string;
  /** Path and query, encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

const COMPONENTS_ID = 'openapi-components';
const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/**
 * Checks answers against the OpenAPI document the server publishes: the status is declared for the
 * operation, the content type is declared for that status, and the body matches its schema (ajv,
 * strict, with formats). An answer outside every operation (404, 405) must still be a problem.
 * Returns what is wrong, or undefined.
 */
export function contractOf(document: OpenApiDocument): (response: ObservedResponse) => string | undefined {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: pointRefsAtComponents(document.components?.schemas ?? {}) });
  const paths = documentedPaths(document);
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (key: string, schema: Schema) => {
    if (!compiled.has(key)) compiled.set(key, ajv.compile(pointRefsAtComponents(schema)));
    return compiled.get(key)!;
  };
  const problemValidator = () => validatorOf('Problem', { $ref: '#/components/schemas/Problem' });

  return (response) => {
    const path = response.url.split('?')[0].replace(/(.)\/$/, '$1');
    const documented = paths.find((p) => p.pattern.test(path));
    const method = response.method.toLowerCase();
    const operation = documented?.methods[method] ?? (method === 'head' ? documented?.methods.get : undefined);
    if (!documented || !operation) return undocumentedAnswer(response, documented !== undefined, problemValidator);
    const where = `${method} ${documented.template}`;
    const declared =
      operation.responses[String(response.status)] ?? operation.responses[`${response.status}`[0] + 'XX'];
    if (!declared) {
      return `status ${response.status} is not declared for ${where} (declared: ${Object.keys(operation.responses).join(', ')})`;
    }
    if (method === 'head') return undefined;
    const mediaType = response.contentType.split(';')[0].trim().toLowerCase();
    const content = declared.content ?? {};
    if (response.text === '') {
      return Object.keys(content).length === 0
        ? undefined
        : `${where} ${response.status} declares a ${Object.keys(content).join(' or ')} body, but none was sent`;
    }
    const media = content[mediaType];
    if (!media) {
      return `content type "${mediaType || '(none)'}" is not declared for ${where} ${response.status} (declared: ${Object.keys(content).join(', ') || 'no body'})`;
    }
    // A text answer (text/csv, text/event-stream) is checked for its declared type only.
    if (!/[/+]json$/.test(mediaType)) return undefined;
    return schemaViolation(validatorOf(`${where} ${response.status} ${mediaType}`, media.schema), response.text);
  };
}

/**
 * What the document says is wrong with a request the server took (a 2xx): a path or query
 * parameter, a header or a body its schemas refuse. The server must refuse what the document
 * refuses, so any answer here is a fault. Parameters arrive as text: numbers and booleans are read
 * from it, as the server does.
 */
export function requestViolationOf(document: OpenApiDocument): (req: SentRequest) => string | undefined {
  const ajv = new Ajv2020({ strict: true, allErrors: true, coerceTypes: true });
  addFormats(ajv);
  const paths = documentedPaths(document);
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (key: string, schema: Schema) => {
    if (!compiled.has(key)) compiled.set(key, ajv.compile(schema));
    return compiled.get(key)!;
  };
  return (req) => {
    const [rawPath, rawQuery = ''] = req.url.split(/\?(.*)/s);
    const path = rawPath.replace(/(.)\/$/, '$1');
    const documented = paths.find((p) => p.pattern.test(path));
    const operation = documented?.methods[req.method.toLowerCase()];
    if (!documented || !operation) return undefined;
    const where = `${req.method} ${documented.template}`;
    const names = [...documented.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const segments = documented.pattern.exec(path)!.slice(1);
    const query = new URLSearchParams(rawQuery);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
    for (const parameter of operation.parameters ?? []) {
      const value =
        parameter.in === 'path'
          ? decodedOrUndefined(segments[names.indexOf(parameter.name)])
          : parameter.in === 'query'
            ? (query.get(parameter.name) ?? undefined)
            : headers[parameter.name.toLowerCase()];
      if (value === undefined) {
        if (parameter.required)
          return `${where}: took a request without the required ${parameter.in} parameter ${parameter.name}`;
        continue;
      }
      const validate = validatorOf(`${where} ${parameter.in} ${parameter.name}`, parameter.schema);
      if (!validate(value)) {
        return `${where}: took the ${parameter.in} parameter ${parameter.name}=${JSON.stringify(value).slice(0, 200)}, which the document refuses (${ajv.errorsText(validate.errors)})`;
      }
    }
    const body = operation.requestBody?.content['application/json']?.schema;
    if (!body) return undefined;
    if (req.body === undefined || req.body === '') {
      return operation.requestBody?.required
        ? `${where}: took a request without the body the document requires`
        : undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body);
    } catch {
      return `${where}: took a body that is not JSON`;
    }
    // A rule the document states in words only: no text the store cannot hold.
    if (holdsUnstorableText(parsed)) return `${where}: took text the store cannot hold (a lone surrogate or U+0000)`;
    const validate = validatorOf(`${where} body`, body);
    return validate(parsed)
      ? undefined
      : `${where}: took a body the document refuses: ${(validate.errors ?? [])
          .slice(0, 5)
          .map((e) => `${e.instancePath || '(body)'} ${e.message ?? e.keyword}`)
          .join('; ')}`;
  };
}

function decodedOrUndefined(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** An answer no operation of the document describes: an error (a problem), never a success. */
function undocumentedAnswer(
  response: ObservedResponse,
  pathKnown: boolean,
  problem: () => ValidateFunction,
): string | undefined {
  const path = response.url.split('?')[0];
  if (response.status < 400) {
    // Operations endpoints (/healthz, /metrics, /docs) are outside the API and its document.
    return pathKnown || path.startsWith('/api')
      ? `${response.method} ${path} answered ${response.status}, but the document declares no such operation`
      : undefined;
  }
  if (response.method === 'HEAD') return undefined;
  if (!response.contentType.startsWith(PROBLEM_MEDIA_TYPE)) {
    return `${response.method} ${path} answered ${response.status} as "${response.contentType || '(none)'}", not ${PROBLEM_MEDIA_TYPE}`;
  }
  return schemaViolation(problem(), response.text);
}

function schemaViolation(validate: ValidateFunction, text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `the body is not JSON: ${text.slice(0, 200)}`;
  }
  if (validate(body)) return undefined;
  const errors = (validate.errors ?? []).slice(0, 10).map((e) => {
    const detail = e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : '';
    return `  ${e.instancePath || '(body)'} ${e.message ?? e.keyword}${detail}`;
  });
  return `the body does not match its schema:\n${errors.join('\n')}`;
}

/** Concrete paths before templated ones, as OpenAPI matches them (`/policies/current` before `/policies/{version}`). */
function documentedPaths(document: OpenApiDocument): DocumentedPath[] {
  return Object.entries(document.paths)
    .map(([template, methods]) => ({
      template,
      methods,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`),
      templates: (template.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.templates - b.templates)
    .map(({ template, methods, pattern }) => ({ template, methods, pattern }));
}

/** `#/components/schemas/X` points into the document; here the components live in a schema of their own. */
function pointRefsAtComponents<T>(value: T): T {
  if (Array.isArray(value)) return value.map(pointRefsAtComponents) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === '$ref' && typeof child === 'string'
        ? child.replace('#/components/schemas/', `${COMPONENTS_ID}#/$defs/`)
        : pointRefsAtComponents(child),
    ]),
  ) as T;
}

/** The failure message a test shows for an answer the document does not describe. */
// Written here, not taken from the product: the tests check the product's own check.
const LONE_SURROGATE_OR_NUL = /\p{Cs}|\0/u;

/** Whether a parsed JSON body holds, in any text or key, what PostgreSQL text and jsonb refuse. */
function holdsUnstorableText(body: unknown): boolean {
  const pending = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string' && LONE_SURROGATE_OR_NUL.test(value)) return true;
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      if (LONE_SURROGATE_OR_NUL.test(key)) return true;
      pending.push(child);
    }
  }
  return false;
}

export function contractFailure(response: ObservedResponse, violation: string): Error {
  const body = response.text.length > 600 ? `${response.text.slice(0, 600)}…` : response.text;
  return new Error(
    `The answer breaks the OpenAPI document (GET /api/openapi.json):\n${response.method} ${response.url} → ${response.status} ${response.contentType}\n${violation}\nbody: ${body}`,
  );
}
