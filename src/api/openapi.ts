import { z } from 'zod';
import { ERROR_CATALOGUE } from '../errors.js';
import { toDatasetJsonSchema } from '../model/dataset-schema.js';
import { ACCESS_SCHEMAS, SECURITY_SCHEMES } from './auth/openapi-access.js';
import { CHECK_SCHEMAS } from './openapi-checks.js';
import { RECORD_SCHEMAS } from './record-openapi.js';
import { ErratumSchema, SubmitBodySchema } from './request-schemas.js';
import { ROUTES } from './route-list.js';
import { type Answer, type AnyRoute, componentOf, problemAnswer, type RouteInput, type Schema } from './route-table.js';

// The OpenAPI 3.1 document, made from the route declarations (route-list.ts): each operation's
// parameters, body and answers are the JSON Schema of the declared zod schemas (zod's
// toJSONSchema), its role is the declared one. The named schemas below are its components.

type JsonSchema = Record<string, unknown>;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const isEmpty = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;

/** The JSON Schema of a zod schema; schemas marked as components (asComponent) are written as references. */
function toJsonSchema(schema: z.ZodType, inline = false): JsonSchema {
  const { $schema: _, ...out } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const js = jsonSchema as JsonSchema;
      const name = componentOf(zodSchema);
      if (name && !(inline && zodSchema === (schema as object))) {
        const description = js.description;
        for (const key of Object.keys(js)) delete js[key];
        js.$ref = `#/components/schemas/${name}`;
        if (description !== undefined) js.description = description;
        return;
      }
      // zod's bounds of a safe integer, its date patterns and its base64 pattern say nothing a reader needs.
      if (js.minimum === -MAX_SAFE) delete js.minimum;
      if (js.maximum === MAX_SAFE) delete js.maximum;
      if (js.format === 'date' || js.format === 'date-time') delete js.pattern;
      // An object of any keys is "type: object" (zod writes its empty shape and its open rest out).
      if (js.type === 'object' && isEmpty(js.properties) && js.required === undefined) delete js.properties;
      if (isEmpty(js.additionalProperties)) delete js.additionalProperties;
      if (js.contentEncoding === 'base64') {
        delete js.pattern;
        delete js.format;
      }
    },
  });
  return out;
}

function toSchema(schema: Schema): JsonSchema {
  if ('component' in schema) return { $ref: `#/components/schemas/${schema.component}` };
  return toJsonSchema(schema);
}

/** The OpenAPI path of a route path: `/api/jobs/:id` → `/api/jobs/{id}`. */
export function toOpenApiPath(routePath: string): string {
  return routePath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function toParameters(where: 'path' | 'query' | 'header', schema: RouteInput['params']): JsonSchema[] {
  if (!schema) return [];
  const object = toJsonSchema(schema);
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(description !== undefined ? { description } : {}),
    schema: property,
  }));
}

function toContent(content: Readonly<Record<string, Schema>>): JsonSchema {
  return Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema: toSchema(schema) }]));
}

function toAnswer(answer: Answer): JsonSchema {
  return {
    description: answer.description,
    ...(answer.headers
      ? {
          headers: Object.fromEntries(
            Object.entries(answer.headers).map(([name, h]) => [name, { description: h.description, schema: toSchema(h.schema) }]),
          ),
        }
      : {}),
    ...(answer.content ? { content: toContent(answer.content) } : {}),
  };
}

/** One operation: what the route reads and answers, the role it needs, its security and the guard's answers. */
function toOperation(route: AnyRoute): JsonSchema {
  const { input = {} } = route;
  const parameters = [
    ...toParameters('path', input.params),
    ...toParameters('query', input.query),
    ...toParameters('header', input.headers),
  ];
  const responses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(route.responses)) responses[status] = toAnswer(answer);
  if (route.role !== 'public') {
    responses['401'] ??= toAnswer(problemAnswer('No valid token or session (UNAUTHENTICATED).'));
    responses['403'] ??= toAnswer(
      problemAnswer(`The token's role is below ${route.role}, or the CSRF token or origin is wrong (FORBIDDEN).`),
    );
  }
  responses['429'] ??= toAnswer(problemAnswer('Too many requests from this token or address (RATE_LIMITED); see Retry-After.'));
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description !== undefined ? { description: route.description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(input.body ? { requestBody: { required: true, content: toContent(input.body) } } : {}),
    responses,
    'x-required-role': route.role,
    ...(route.embargo ? { 'x-embargo': 'readers see only editions whose release moment has passed; others answer 404' } : {}),
    security: route.role === 'public' ? [] : [{ bearer: [] }, { session: [] }],
  };
}

/** The paths of the document: one operation per declared route. */
export function toOpenApiPaths(routes: readonly AnyRoute[]): Record<string, Record<string, JsonSchema>> {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: toOperation(route) };
  }
  return paths;
}

/** The dataset format, as docs/dataset.schema.json holds it (made from the same zod schema). */
function datasetComponent(): JsonSchema {
  const { $schema: _, ...schema } = toDatasetJsonSchema();
  return schema;
}

/** The components made from the zod schemas the routes parse with, and the dataset's. */
const ZOD_COMPONENTS: Record<string, JsonSchema> = {
  RenderRequest: toJsonSchema(SubmitBodySchema, true),
  Erratum: toJsonSchema(ErratumSchema, true),
  Dataset: datasetComponent(),
};

/** The components written as JSON Schema: what the service answers. */
const ANSWER_SCHEMAS = {
  Artifact: {
    type: 'object',
    required: ['name', 'contentType', 'size', 'sha256', 'links'],
    properties: {
      name: { type: 'string', examples: ['publicatie.pdf'] },
      contentType: { type: 'string' },
      size: { type: 'integer', minimum: 0 },
      sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      links: { type: 'object', required: ['download'], properties: { download: { type: 'string' } } },
    },
  },
  Job: {
    type: 'object',
    required: [
      'id',
      'state',
      'publicationId',
      'edition',
      'correctedOn',
      'progress',
      'attempts',
      'error',
      'artifacts',
      'releaseAt',
      'links',
    ],
    properties: {
      id: { type: 'string', pattern: '^r-[0-9a-f]{64}$' },
      state: { enum: ['queued', 'active', 'completed', 'failed'] },
      publicationId: { type: 'string' },
      edition: { type: 'integer', minimum: 1 },
      correctedOn: { type: ['string', 'null'], format: 'date' },
      progress: {
        type: ['object', 'null'],
        properties: { step: { enum: ['validate', 'tables', 'pdf', 'xlsx', 'erratum', 'store'] } },
      },
      attempts: {
        type: ['object', 'null'],
        description: 'Null when the job is known only from storage (it completed and left Redis).',
        properties: { made: { type: 'integer' }, max: { type: 'integer' } },
      },
      error: {
        type: ['object', 'null'],
        description: 'Why the job failed; while a retry waits (state queued), why the last attempt failed.',
        required: ['code', 'message'],
        properties: { code: { enum: Object.keys(ERROR_CATALOGUE) }, message: { type: 'string' } },
      },
      artifacts: { type: 'array', items: { $ref: '#/components/schemas/Artifact' } },
      releaseAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'The release moment (UTC): before it only editors see this; null when unknown (hidden from readers).',
      },
      checks: { $ref: '#/components/schemas/ChecksRecord' },
      links: { type: 'object', properties: { self: { type: 'string' }, editions: { type: 'string' } } },
    },
  },
  ChangedCells: {
    type: 'object',
    required: ['total', 'cells'],
    properties: {
      total: { type: 'integer', minimum: 0, description: 'How many figures changed.' },
      cells: {
        type: 'array',
        description: 'The changed figures in table, row and column order (at most 1000).',
        items: {
          type: 'object',
          required: ['tableId', 'tableTitle', 'rowLabel', 'columnTitle', 'oldText', 'newText', 'kind', 'movedFromLabel'],
          properties: {
            tableId: { type: 'string' },
            tableTitle: { type: 'string' },
            rowLabel: { type: 'string', examples: ['Noord en Oost Gelderland'] },
            columnTitle: { type: 'string', examples: ['Actieve casussen, waarvan gestart'] },
            oldText: { type: 'string', description: 'The figure as the previous edition printed it.', examples: ['64 040'] },
            newText: { type: 'string', examples: ['73 820'] },
            kind: {
              enum: ['value', 'moved', 'moved-value'],
              description: 'value: corrected in place; moved: the figure stood in another row; moved-value: both.',
            },
            movedFromLabel: { type: ['string', 'null'], description: 'For moved kinds: the row the figure stood in.' },
          },
        },
      },
    },
  },
  Publications: {
    type: 'object',
    required: ['publications', 'links'],
    properties: {
      publications: {
        type: 'array',
        items: {
          type: 'object',
          required: ['publicationId', 'editions', 'latest', 'links'],
          properties: {
            publicationId: { type: 'string' },
            editions: { type: 'integer', minimum: 1, description: 'How many editions the service has rendered.' },
            latest: {
              type: 'object',
              required: ['edition', 'correctedOn', 'createdAt', 'jobId'],
              properties: {
                edition: { type: 'integer', minimum: 1 },
                correctedOn: { type: ['string', 'null'], format: 'date' },
                createdAt: { type: 'string', format: 'date-time' },
                jobId: { type: 'string' },
              },
            },
            links: { type: 'object', properties: { editions: { type: 'string' } } },
          },
        },
      },
      links: { type: 'object', properties: { self: { type: 'string' } } },
    },
  },
  DatasetReport: {
    type: 'object',
    required: ['valid', 'code', 'publication', 'tables', 'errors'],
    properties: {
      valid: { type: 'boolean' },
      code: { enum: ['DATASET_UNREADABLE', 'DATASET_INVALID', null], description: 'Why it is not valid; null when valid.' },
      checks: {
        description: 'For a valid dataset: what the checks before publishing find (errors refuse a render, warnings need acceptWarnings).',
        oneOf: [{ $ref: '#/components/schemas/CheckReport' }, { type: 'null' }],
      },
      publication: {
        type: ['object', 'null'],
        description: 'What a valid dataset is about.',
        properties: {
          id: { type: 'string' },
          template: { type: 'string' },
          title: { type: 'string' },
          period: { type: 'string' },
          edition: { type: 'integer' },
          publicationDate: { type: 'string', format: 'date' },
          status: { type: 'string' },
        },
      },
      tables: {
        type: 'array',
        items: {
          type: 'object',
          properties: { id: { type: 'string' }, title: { type: 'string' }, rows: { type: 'integer' }, measures: { type: 'integer' } },
        },
      },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['path', 'message', 'place'],
          properties: {
            path: { type: 'string', examples: ['tables[0].rows[3].GestarteAdviezen'] },
            message: { type: 'string' },
            place: {
              type: ['object', 'null'],
              description: 'Where the problem is, when it is inside a table.',
              properties: {
                table: { type: 'integer', minimum: 1, description: 'The table position, from 1.' },
                tableId: { type: ['string', 'null'] },
                tableTitle: { type: ['string', 'null'] },
                row: { type: ['integer', 'null'], minimum: 1, description: 'The row position in the table, from 1.' },
                rowCodes: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { dimension: { type: 'string' }, code: { type: 'string' }, title: { type: ['string', 'null'] } },
                  },
                },
                cell: { type: ['string', 'null'], description: 'The measure (or dimension) key of the cell.' },
                cellTitle: { type: ['string', 'null'] },
                cellKind: { enum: ['measure', 'dimension', null] },
                field: { type: ['string', 'null'], description: 'Outside the rows: the path within the table.' },
              },
            },
          },
        },
      },
    },
  },
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details. "errors" names each problem with its JSON path in the request.',
    required: ['type', 'title', 'status', 'detail', 'code', 'errors'],
    properties: {
      type: { type: 'string', format: 'uri', examples: ['urn:problem-type:render-service:dataset-invalid'] },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      code: { enum: Object.keys(ERROR_CATALOGUE) },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['path', 'message'],
          properties: {
            path: { type: 'string', examples: ['dataset.tables[0].rows[12].GestarteAdviezen'] },
            message: { type: 'string' },
          },
        },
      },
      requestId: { type: 'string', description: 'The id of the request, as in the X-Request-Id header and the log.' },
    },
  },
};

/**
 * The OpenAPI 3.1 description of the API, served at /api/openapi.json. Each operation names the
 * role it needs (`x-required-role`) as its route declares it.
 */
export const openApiDocument = Object.freeze({
  openapi: '3.1.0',
  info: {
    title: 'Render service: Beleidsinformatie Veilig Thuis',
    version: '1.0.0',
    description:
      'Renders a publication (PDF), its tabellenbijlage (XLSX) and, for a corrected edition, the erratum (PDF) from a dataset. ' +
      'A POST queues a render job; the job id is derived from the request, so the same request gives the same job and the same files. ' +
      'Errors are application/problem+json (RFC 9457) with the error code and the places of the problems. ' +
      'Access: send an API token as "Authorization: Bearer <token>", or sign the page in (POST /api/session) and send ' +
      "the session's CSRF token as X-CSRF-Token with every POST and DELETE. Roles: reader < editor < admin.",
  },
  paths: toOpenApiPaths(ROUTES),
  components: {
    schemas: { ...ZOD_COMPONENTS, ...ANSWER_SCHEMAS, ...ACCESS_SCHEMAS, ...CHECK_SCHEMAS, ...RECORD_SCHEMAS },
    securitySchemes: SECURITY_SCHEMES,
  },
});
