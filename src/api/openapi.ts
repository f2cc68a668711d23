import { CHECK_SCHEMAS } from './openapi-checks.js';
import { ERROR_CATALOGUE } from '../errors.js';
import { ACCESS_PATHS, ACCESS_SCHEMAS, SECURITY_SCHEMES, withAccess } from './auth/openapi-access.js';
import { PAGE_PATHS } from './openapi-pages.js';
import { RECORD_PATHS, RECORD_SCHEMAS } from './record-openapi.js';
import { pathParameter, problemAnswer } from './openapi-parts.js';

const problem = problemAnswer;

const jobIdParam = pathParameter('id', 'A job id: "r-" and 64 hex digits, derived from the request.', {
  type: 'string',
  pattern: '^r-[0-9a-f]{64}$',
});

const jobAnswer = (description: string) => ({
  description,
  headers: { Location: { description: 'The job.', schema: { type: 'string' } } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } },
});

const baseDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Render service: Beleidsinformatie Veilig Thuis',
    version: '1.0.0',
    description:
      'Renders a publication (PDF), its tabellenbijlage (XLSX) and, for a corrected edition, the erratum (PDF) from a dataset. ' +
      'A POST queues a render job; the job id is derived from the request, so the same request gives the same job and the same files. ' +
      'Errors are application/problem+json (RFC 9457) with the error code and the places of the problems.',
  },
  paths: {
    '/api/jobs': {
      post: {
        operationId: 'submitRender',
        summary: 'Queue the rendering of an edition',
        description:
          'For a first edition send only the dataset. For a corrected edition send the corrected dataset and the erratum: ' +
          'the service finds the previous edition of the publication itself (or takes it from "previous").',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/RenderRequest' } } },
        },
        responses: {
          '202': jobAnswer('The job was queued (or a failed job with this request was retried).'),
          '200': jobAnswer('The same request was made before: this is its job (queued, active or completed).'),
          '400': problem('The body is not JSON or lacks fields (REQUEST_INVALID).'),
          '413': problem('The body is larger than MAX_BODY_BYTES (PAYLOAD_TOO_LARGE).'),
          '415': problem('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
          '422': problem(
            'The dataset is invalid, naming table, row and cell (DATASET_INVALID); or the erratum is (ERRATUM_INVALID); ' +
              'or no previous edition is known (PREVIOUS_EDITION_UNKNOWN); or previous is of another publication (PREVIOUS_EDITION_MISMATCH); ' +
              'or the checks before publishing found errors (DATASET_IMPLAUSIBLE) or warnings not accepted (WARNINGS_NOT_ACCEPTED), ' +
              'each finding listed in "errors" with its place in the dataset and its rule.',
          ),
          '503': problem('Redis cannot be reached (REDIS_UNAVAILABLE); try again later.'),
        },
      },
    },
    '/api/datasets/validate': {
      post: {
        operationId: 'validateDataset',
        summary: 'Check a dataset file as a render would, without rendering',
        description:
          'Send the dataset file itself as the body. The answer says whether it is valid; if not, it lists every problem ' +
          '(up to 50) with its JSON path, the message a render would give, and its place: table, row (with its codes) and cell. ' +
          'A file that is not JSON is reported the same way, with its line and column.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', description: 'A dataset (docs/dataset.schema.json).' } } },
        },
        responses: {
          '200': {
            description: 'The verdict on the dataset (valid or not).',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/DatasetReport' } } },
          },
          '400': problem('The request has no body (REQUEST_INVALID).'),
          '413': problem('The body is larger than MAX_BODY_BYTES (PAYLOAD_TOO_LARGE).'),
          '415': problem('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
        },
      },
    },
    '/api/datasets/import': {
      post: {
        operationId: 'importDataset',
        summary: 'Turn a StatLine open data download (ZIP, v4 or v3) or a CSV with its mapping into a checked dataset',
        description:
          'As `npm run import` (docs/import.md): the body names the kind, the file name and the file as base64, for a CSV ' +
          'also the mapping. The answer holds the dataset file (JSON text) and the notes on what was inferred. Nothing is stored.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['kind', 'fileName', 'file'],
                properties: {
                  kind: { enum: ['statline', 'csv'] },
                  fileName: { type: 'string' },
                  file: { type: 'string', contentEncoding: 'base64' },
                  mapping: { type: 'object', description: 'CSV only: the mapping (docs/import.md).' },
                  tableId: { type: 'string' },
                  publicationDate: { type: 'string', format: 'date' },
                  periodStatus: { enum: ['voorlopig', 'nader voorlopig', 'definitief'] },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The imported dataset (as the text of a dataset file), its format, table id, figure count and notes.',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          '400': problem('The request is not as described (REQUEST_INVALID).'),
          '413': problem('The body is larger than MAX_BODY_BYTES (PAYLOAD_TOO_LARGE).'),
          '415': problem('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
          '422': problem('The files cannot be imported; each detail names file, line or entity and field (IMPORT_INVALID).'),
        },
      },
    },
    '/api/datasets/new-period': {
      post: {
        operationId: 'newPeriod',
        summary: 'Make the skeleton of the next period from the dataset of the last one',
        description:
          'As `npm run new-period` (docs/editors.md): the dataset file of the new period (status, dates and the note on ' +
          'illustrative figures to confirm; every table without figures) and the texts file (each period text of the last ' +
          'period marked as taken over, to review). Rendering refuses the skeleton until both are done. Nothing is stored.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['dataset', 'period'],
                properties: {
                  dataset: { type: 'object', description: 'The dataset of the last period.' },
                  period: { type: 'string', description: 'The code of the new period, e.g. 2019HJ02.' },
                  title: { type: 'string', description: 'Its title, e.g. "2e halfjaar van 2019"; default from the code.' },
                  texts: { type: 'string', description: 'The texts file of the last period; default the texts in its dataset.' },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The skeleton: publicationId, fileName and dataset (the text of the dataset file), textsFileName and texts, todo.',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          '400': problem('The request is not as described, or the period code or title is wrong (REQUEST_INVALID).'),
          '415': problem('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
          '422': problem('The dataset of the last period or its texts file is invalid (DATASET_INVALID, TEXTS_INVALID).'),
        },
      },
    },
    '/api/jobs/{id}': {
      get: {
        operationId: 'getJob',
        summary: 'The state, progress, error and artifacts of a job',
        parameters: [jobIdParam],
        responses: {
          '200': { description: 'The job.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } } },
          '404': problem('There is no such job (NOT_FOUND).'),
          '503': problem('Redis cannot be reached and the job has not completed (REDIS_UNAVAILABLE).'),
        },
      },
    },
    '/api/jobs/{id}/artifacts/{name}': {
      get: {
        operationId: 'downloadArtifact',
        summary: 'Download a file the job made',
        parameters: [
          jobIdParam,
          {
            name: 'name',
            in: 'path',
            required: true,
            description: 'The artifact name, e.g. publicatie.pdf, tabellenbijlage.xlsx, erratum.pdf.',
            schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}(\\.[a-z0-9]{1,8})+$' },
          },
          {
            name: 'If-None-Match',
            in: 'header',
            required: false,
            description: 'The ETag of a copy you have: answers 304 when it is current.',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': {
            description: 'The file.',
            headers: {
              ETag: { description: 'The sha256 of the file, quoted.', schema: { type: 'string' } },
              'Content-Disposition': { description: 'attachment; filename="<publication>-editie-<n>-<name>"', schema: { type: 'string' } },
            },
            content: {
              'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } },
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                schema: { type: 'string', contentMediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
              },
            },
          },
          '304': { description: 'The copy named by If-None-Match is current.' },
          '404': problem('No such job, the job has not completed, or it has no artifact of that name (NOT_FOUND).'),
        },
      },
    },
    '/healthz': {
      get: {
        operationId: 'health',
        summary: 'The process is up',
        responses: {
          '200': {
            description: 'Up.',
            content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' } } } } },
          },
        },
      },
    },
    '/readyz': {
      get: {
        operationId: 'ready',
        summary: 'Redis answers and at least one worker consumes the queue',
        responses: {
          '200': {
            description: 'Ready.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['status', 'redis', 'workers'],
                  properties: { status: { const: 'ready' }, redis: { const: 'up' }, workers: { type: 'integer', minimum: 1 } },
                },
              },
            },
          },
          '503': problem('Not ready (NOT_READY).'),
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'openApi',
        summary: 'This document',
        responses: { '200': { description: 'The OpenAPI document.', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
  components: {
    schemas: {
      RenderRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['dataset'],
        properties: {
          dataset: { type: 'object', description: 'A dataset in the dataset format (docs/dataset.schema.json).' },
          previous: {
            type: 'object',
            description: 'Optional: the dataset as published before. Without it, the service uses the latest edition it rendered.',
          },
          erratum: { $ref: '#/components/schemas/Erratum' },
          texts: {
            type: 'string',
            description:
              "Optional: the edition's texts file (Markdown: front matter 'periode', sections '# name'; docs/editors.md). Its sections become the dataset's publication.texts.",
          },
          releaseAt: {
            type: 'string',
            format: 'date-time',
            description:
              "Optional: the release moment (with offset). Default: the dataset's publication.releaseAt, else its publicationDate " +
              'at 09:30 Dutch time; for a corrected edition no earlier than the erratum date at 09:30. Before it only editors see the edition.',
          },
          acceptWarnings: {
            type: 'boolean',
            description:
              'Accepts the warnings of the checks before publishing (rounding, period-on-period jumps). Without it a dataset with ' +
              'warnings is refused (WARNINGS_NOT_ACCEPTED). The acceptance (user, moment, finding ids) is recorded with the job and the edition.',
          },
        },
      },
      Erratum: {
        type: 'object',
        additionalProperties: false,
        required: ['date', 'text'],
        properties: {
          date: { type: 'string', format: 'date', description: 'The date of the correction, YYYY-MM-DD.' },
          text: { type: 'string', minLength: 1, description: 'What was corrected (Markdown-like).' },
        },
      },
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
        required: ['id', 'state', 'publicationId', 'edition', 'correctedOn', 'progress', 'attempts', 'error', 'artifacts', 'links'],
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
            description:
              'For a valid dataset: what the checks before publishing find (errors refuse a render, warnings need acceptWarnings).',
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
    },
  },
};

/**
 * The OpenAPI 3.1 description of the API, served at /api/openapi.json. Each operation names the
 * role it needs (`x-required-role`), taken from the route access table.
 */
export const openApiDocument = Object.freeze({
  ...baseDocument,
  info: {
    ...baseDocument.info,
    description:
      `${baseDocument.info.description} ` +
      'Access: send an API token as "Authorization: Bearer <token>", or sign the page in (POST /api/session) and send ' +
      "the session's CSRF token as X-CSRF-Token with every POST and DELETE. Roles: reader < editor < admin.",
  },
  paths: withAccess({ ...baseDocument.paths, ...ACCESS_PATHS, ...PAGE_PATHS, ...RECORD_PATHS }),
  components: {
    ...baseDocument.components,
    schemas: { ...baseDocument.components.schemas, ...ACCESS_SCHEMAS, ...CHECK_SCHEMAS, ...RECORD_SCHEMAS },
    securitySchemes: SECURITY_SCHEMES,
  },
});
