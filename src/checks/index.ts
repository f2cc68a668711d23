export { BUILT_IN, type CheckOptions, checkDataset } from './check-dataset.js';
export { formatReport, showValue } from './format.js';
export { parseRules, type RuleSet, rulesOfTemplate } from './rules.js';
export { type TemplateFacts, templateFacts } from './template-facts.js';
export type { CheckReport, Finding, RuleSummary, Severity } from './types.js';

import type { Dataset } from '../model/dataset.js';
import { findTemplateDirectiveError } from '../render/text/directives.js';
import { checkDataset } from './check-dataset.js';
import { rulesOfTemplate } from './rules.js';
import { templateFacts } from './template-facts.js';
import type { CheckReport } from './types.js';

/**
 * Checks a dataset against its own template's rules and texts (the templates as loaded by src/resources.ts).
 * Throws TEMPLATE_INVALID for a directive of the template no render could draw (e.g. `::tabel`).
 */
export function checkWithTemplates(
  dataset: Dataset,
  templates: Readonly<Record<string, string>>,
  more: { readonly previous?: Dataset; readonly compare?: Dataset } = {},
): CheckReport {
  const id = dataset.publication.template;
  const invalid = findTemplateDirectiveError(templates, id);
  if (invalid) throw invalid;
  return checkDataset(dataset, { rules: rulesOfTemplate(templates, id), facts: templateFacts(templates, id), ...more });
}
