// The schemas of drafts, reviews, editions and withdrawals in the OpenAPI document: what the routes
// of record-routes.ts answer; merged into the document's components in openapi.ts.

const actor = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } };

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
