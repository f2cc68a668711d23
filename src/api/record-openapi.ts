import { jsonAnswer, pathParameter, problemAnswer } from './openapi-parts.js';

// The OpenAPI description of drafts, reviews, editions, withdrawals and the audit log
// (record-routes.ts), merged into the document in openapi.ts.

const problem = problemAnswer;

const json = jsonAnswer;

const draftId = pathParameter('id', 'A draft id: "d_" and 16 hex digits.', { type: 'string', pattern: '^d_[0-9a-f]{16}$' });

const publicationId = pathParameter('id', 'The publication id from the dataset.', {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9-]{0,79}$',
});

const actor = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } };

export const RECORD_PATHS = {
  '/api/drafts': {
    post: {
      operationId: 'createDraft',
      summary: 'Make a draft: render the dataset for review, marked "CONCEPT", without edition number',
      description:
        'With "erratum" the draft is a correction of the latest edition of its publication. Another editor must approve ' +
        'the draft before it becomes an edition; nobody approves their own draft.',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['dataset'],
              properties: {
                dataset: { type: 'object' },
                erratum: { $ref: '#/components/schemas/Erratum' },
                releaseAt: { type: 'string', format: 'date-time' },
                texts: { type: 'string', description: 'The edition’s texts file (period texts, docs/editors.md), as text.' },
                templates: {
                  type: 'string',
                  enum: ['kept', 'current'],
                  default: 'kept',
                  description:
                    'For a correction: render with the templates kept with the edition it corrects ("kept"), so it prints as that edition did, ' +
                    'or with the service’s current templates ("current"). A first edition always uses the current templates.',
                },
                acceptWarnings: {
                  type: 'boolean',
                  description:
                    'Accept the warnings of the checks before publishing (docs/checks.md); who accepted which is kept with the draft. Errors always refuse the draft.',
                },
              },
            },
          },
        },
      },
      responses: {
        '201': json('Draft', 'The draft; its render is queued.'),
        '400': problem('The body is not a draft request (REQUEST_INVALID).'),
        '422': problem(
          'The dataset or erratum is invalid, there is no edition to correct, the checks found errors (DATASET_IMPLAUSIBLE, also a correction without changes) or warnings not accepted (WARNINGS_NOT_ACCEPTED).',
        ),
      },
    },
    get: {
      operationId: 'listDrafts',
      summary: 'Drafts, newest first (of one publication with ?publicationId=)',
      parameters: [{ name: 'publicationId', in: 'query', required: false, schema: { type: 'string' } }],
      responses: { '200': json('Drafts', 'The drafts.') },
    },
  },
  '/api/drafts/{id}': {
    get: {
      operationId: 'getDraft',
      summary: 'A draft: its render, files, check findings, changed figures and review',
      parameters: [draftId],
      responses: { '200': json('Draft', 'The draft.'), '404': problem('No such draft (NOT_FOUND).') },
    },
  },
  '/api/drafts/{id}/artifacts/{name}': {
    get: {
      operationId: 'viewDraftArtifact',
      summary: 'A file of a draft (PDFs inline for the viewer; ?download=1 to save); "CONCEPT" in its name',
      parameters: [draftId, { name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': { description: 'The file.' },
        '304': { description: 'The copy named by If-None-Match is current.' },
        '404': problem('No such draft or file, or the draft is not rendered yet (NOT_FOUND).'),
      },
    },
  },
  '/api/drafts/{id}/reviews': {
    post: {
      operationId: 'reviewDraft',
      summary: 'Approve or reject a draft, with a comment; approval makes the next edition',
      description:
        'Approval assigns the next edition number of the publication atomically, queues the final files (no mark; the same ' +
        'bytes as any render of the same input) and releases them at the release moment, never before the edition before it.',
      parameters: [draftId],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['decision', 'comment'],
              properties: { decision: { enum: ['approve', 'reject'] }, comment: { type: 'string', minLength: 1, maxLength: 2000 } },
            },
          },
        },
      },
      responses: {
        '201': json('Draft', 'The draft as reviewed; with "edition" when approved.'),
        '400': problem('No decision or comment (REQUEST_INVALID).'),
        '404': problem('No such draft (NOT_FOUND).'),
        '409': problem('Reviewed already, your own draft, still rendering, or a newer edition came since (REVIEW_CONFLICT).'),
      },
    },
  },
  '/api/publications': {
    get: {
      operationId: 'listPublications',
      summary: 'Publications with editions the caller may see, with the current edition',
      responses: { '200': json('Publications', 'The publications.') },
    },
  },
  '/api/publications/{id}/editions': {
    get: {
      operationId: 'listEditions',
      summary: 'The editions of a publication, oldest first; the current one marked, withdrawn ones with their reason',
      parameters: [publicationId],
      responses: { '200': json('Editions', 'The editions.'), '404': problem('No edition the caller may see (NOT_FOUND).') },
    },
  },
  '/api/publications/{id}/editions/{edition}/withdrawal': {
    post: {
      operationId: 'withdrawEdition',
      summary: 'Withdraw a released edition with a public reason: its files then answer 410 to readers',
      parameters: [publicationId, { name: 'edition', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 1000 } } },
          },
        },
      },
      responses: {
        '201': { description: 'The edition, withdrawn.' },
        '400': problem('No reason (REQUEST_INVALID).'),
        '404': problem('No such edition (NOT_FOUND).'),
        '409': problem('Not released, or withdrawn already (REVIEW_CONFLICT).'),
      },
    },
  },
  '/api/audit': {
    get: {
      operationId: 'readAuditLog',
      summary: 'The audit log, newest first',
      parameters: [
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        { name: 'before', in: 'query', required: false, schema: { type: 'integer' }, description: 'Entries before this sequence number.' },
      ],
      responses: { '200': { description: 'The entries.', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
};

export const RECORD_SCHEMAS = {
  Draft: {
    type: 'object',
    required: ['id', 'publicationId', 'state', 'createdBy', 'createdAt', 'review', 'edition', 'render', 'links'],
    properties: {
      id: { type: 'string' },
      publicationId: { type: 'string' },
      state: { enum: ['pending', 'approved', 'rejected'] },
      createdBy: actor,
      createdAt: { type: 'string', format: 'date-time' },
      correctsEdition: { type: ['integer', 'null'] },
      releaseAt: { type: 'string', format: 'date-time' },
      review: { oneOf: [{ type: 'null' }, { type: 'object' }] },
      edition: { type: ['integer', 'null'], description: 'The edition this draft became once approved.' },
      templates: {
        description:
          'The templates the draft renders with (its final files too): "kept" with edition N (a correction) or "current"; ' +
          'hash is their sha256 in storage, label what the page shows. Null for drafts made before templates were kept.',
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            required: ['source', 'edition', 'hash', 'label'],
            properties: {
              source: { enum: ['kept', 'current'] },
              edition: { type: ['integer', 'null'] },
              hash: { type: 'string' },
              label: { type: 'string' },
            },
          },
        ],
      },
      render: { type: 'object' },
      artifacts: { type: 'array', items: { type: 'object' } },
      changedCells: { oneOf: [{ $ref: '#/components/schemas/ChangedCells' }, { type: 'null' }] },
      findings: {
        description: 'What the checks before publishing found when the draft was made (null for drafts imported from before the checks).',
        oneOf: [{ $ref: '#/components/schemas/ChecksRecord' }, { type: 'null' }],
      },
      acceptedWarnings: {
        description: 'Who accepted the warnings, when, and which findings; null when there were none.',
        oneOf: [{ $ref: '#/components/schemas/WarningAcceptance' }, { type: 'null' }],
      },
    },
  },
  Drafts: { type: 'object', properties: { drafts: { type: 'array', items: { $ref: '#/components/schemas/Draft' } } } },
  Editions: {
    type: 'object',
    required: ['publicationId', 'editions', 'links'],
    properties: {
      publicationId: { type: 'string' },
      editions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['edition', 'state', 'current', 'withdrawn', 'releaseAt', 'jobId', 'artifacts', 'changedCells'],
          properties: {
            edition: { type: 'integer', minimum: 1 },
            state: {
              enum: ['rendering', 'scheduled', 'released', 'withdrawn'],
              description: 'Readers see released and withdrawn editions only.',
            },
            current: { type: 'boolean', description: 'The latest released edition that is not withdrawn.' },
            withdrawn: {
              oneOf: [{ type: 'null' }, { type: 'object', properties: { reason: { type: 'string' }, at: { type: 'string' } } }],
            },
            correctsEdition: { type: ['integer', 'null'] },
            correctedOn: { type: ['string', 'null'], format: 'date' },
            erratum: { oneOf: [{ $ref: '#/components/schemas/Erratum' }, { type: 'null' }] },
            releaseAt: { type: 'string', format: 'date-time', description: 'Never before the release of the edition before it.' },
            approvedBy: { type: 'string' },
            jobId: { type: 'string' },
            artifacts: { type: 'array', items: { $ref: '#/components/schemas/Artifact' } },
            changedCells: { oneOf: [{ $ref: '#/components/schemas/ChangedCells' }, { type: 'null' }] },
          },
        },
      },
      links: { type: 'object', properties: { self: { type: 'string' } } },
    },
  },
};
