/** The OpenAPI schemas of the checks before publishing (docs/checks.md): reports, findings and accepted warnings. */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const CHECK_SCHEMAS = {
  CheckFinding: {
    type: 'object',
    description: 'One failed check: rule, severity, place (table, row by codes, measure), the figures involved and a Dutch message.',
    required: ['id', 'ruleId', 'severity', 'tableId', 'tableTitle', 'codes', 'measure', 'values', 'expected', 'message', 'cells'],
    properties: {
      id: {
        type: 'string',
        description: 'Stable for the same data: rule, table, codes and measure; the ids of accepted warnings are recorded.',
        examples: ['aantallen-afgerond-op-5|kerncijfers|Regio=VT03,Perioden=2019HJ01|Overdrachten'],
      },
      ruleId: { type: 'string', examples: ['kerncijfers-nederland-som-regios'] },
      severity: { enum: ['error', 'warning'] },
      tableId: { type: ['string', 'null'], description: 'Null for a finding about the publication or the template.' },
      tableTitle: { type: ['string', 'null'] },
      codes: {
        type: 'array',
        description: 'The row: one code per dimension, with titles.',
        items: {
          type: 'object',
          required: ['dimension', 'dimensionTitle', 'code', 'title'],
          properties: {
            dimension: { type: 'string' },
            dimensionTitle: { type: 'string' },
            code: { type: 'string' },
            title: { type: 'string' },
          },
        },
      },
      measure: {
        type: ['object', 'null'],
        properties: { key: { type: 'string' }, title: { type: 'string' } },
      },
      values: {
        type: 'array',
        description: 'The figures involved; a symbol ("." or "") as text, null when absent.',
        items: {
          type: 'object',
          required: ['label', 'value'],
          properties: { label: { type: 'string' }, value: { type: ['number', 'string', 'null'] } },
        },
      },
      expected: { type: 'string', description: 'What was expected, in Dutch.' },
      message: { type: 'string', description: 'The whole finding, in Dutch.' },
      cells: {
        type: 'array',
        description: 'The cells to mark in a grid of the table; the first is the one the finding is about.',
        items: {
          type: 'object',
          required: ['tableId', 'codes', 'measure'],
          properties: {
            tableId: { type: 'string' },
            codes: { type: 'object', additionalProperties: { type: 'string' } },
            measure: { type: 'string' },
          },
        },
      },
    },
  },
  CheckRuleSummary: {
    type: 'object',
    description: 'One rule confronted with the dataset, summarised as the R package validate does.',
    required: ['id', 'kind', 'severity', 'text', 'items', 'passes', 'fails', 'skipped', 'builtIn'],
    properties: {
      id: { type: 'string' },
      kind: {
        type: 'string',
        examples: ['sum', 'part', 'parent', 'rounding', 'range', 'filled', 'identity', 'condition', 'codes', 'change'],
      },
      severity: { enum: ['error', 'warning'] },
      text: { type: 'string', description: 'The rule in words (Dutch).' },
      items: { type: 'integer', minimum: 0 },
      passes: { type: 'integer', minimum: 0 },
      fails: { type: 'integer', minimum: 0 },
      skipped: { type: 'integer', minimum: 0, description: 'Checks that could not be made: a figure was "." or blank.' },
      builtIn: { type: 'boolean' },
    },
  },
  CheckReport: {
    type: 'object',
    description: 'What the checks before publishing find in a dataset (docs/checks.md).',
    required: ['publicationId', 'period', 'errors', 'warnings', 'rules', 'findings', 'truncatedRules'],
    properties: {
      publicationId: { type: 'string' },
      period: { type: 'string' },
      errors: { type: 'integer', minimum: 0 },
      warnings: { type: 'integer', minimum: 0 },
      rules: { type: 'array', items: ref('CheckRuleSummary') },
      findings: { type: 'array', items: ref('CheckFinding') },
      truncatedRules: { type: 'array', items: { type: 'string' }, description: 'Rules whose findings were cut at 500.' },
    },
  },
  WarningAcceptance: {
    type: 'object',
    description: 'Who accepted which warnings, and when.',
    required: ['by', 'at', 'findings'],
    properties: {
      by: { type: 'string', description: 'The user name of the token or session that sent the request.' },
      at: { type: 'string', format: 'date-time' },
      findings: { type: 'array', items: { type: 'string' }, description: 'The ids of the accepted findings.' },
    },
  },
  ChecksRecord: {
    type: ['object', 'null'],
    description:
      'The checks of a job or edition: the per-rule summary, its warnings (at most 200) and their acceptance; null for older jobs.',
    required: ['errors', 'warnings', 'rules', 'findings', 'acceptance'],
    properties: {
      errors: { type: 'integer', const: 0 },
      warnings: { type: 'integer', minimum: 0 },
      rules: { type: 'array', items: ref('CheckRuleSummary') },
      findings: { type: 'array', items: ref('CheckFinding') },
      acceptance: { oneOf: [ref('WarningAcceptance'), { type: 'null' }] },
    },
  },
} as const;
