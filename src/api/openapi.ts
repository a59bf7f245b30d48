import { z } from 'zod';
import type { RouteTable } from './routes';

type JsonSchema = Record<string, unknown>;

const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  return rest;
}

/** Parameters from a zod object of path or query fields. */
function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, fieldSchema]) => ({
    name,
    in: location,
    required: location === 'path' || (object.required ?? []).includes(name),
    ...(typeof fieldSchema.description === 'string' ? { description: fieldSchema.description } : {}),
    schema: fieldSchema,
  }));
}

const templateNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/**
 * OpenAPI treats `/partners/{id}` and `/partners/{partnerId}` as the same path and forbids both:
 * the first declared spelling names the path, and later routes' path parameters are renamed to it.
 */
function documentPathOf(canonical: Map<string, string>, path: string): { path: string; rename: Map<string, string> } {
  const shape = path.replace(/\{[^}]+\}/g, '{}');
  const documented = canonical.get(shape) ?? path;
  canonical.set(shape, documented);
  const target = templateNames(documented);
  return { path: documented, rename: new Map(templateNames(path).map((name, i) => [name, target[i]])) };
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function openApiDocument(table: RouteTable, info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const canonical = new Map<string, string>();
  for (const spec of table.specs()) {
    const { path, rename } = documentPathOf(canonical, spec.path);
    const responses: Record<string, JsonSchema> = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { 'application/json': { schema: jsonSchemaOf(response.schema, 'output') } } }
          : {}),
      };
    }
    const problems = spec.roles === 'public' ? ['400'] : ['400', '401', '403', '429'];
    for (const status of problems) {
      responses[status] ??= {
        description: 'Problem',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: `${spec.method}${path.replace(/[{}]/g, '').replace(/(^|[/_-])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}`,
      ...(spec.roles === 'public' ? { security: [] } : { 'x-roles': spec.roles }),
      parameters: [
        ...parametersOf(spec.params, 'path').map((p) => ({ ...p, name: rename.get(p.name as string) ?? p.name })),
        ...parametersOf(spec.query, 'query'),
      ],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchemaOf(spec.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'RoE Orchestrator API',
      version: info.version,
      description:
        'Partner Rules of Engagement as durable, timed, explainable processes. Errors are application/problem+json (RFC 9457).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Problem: problemSchema },
    },
    paths,
  };
}
