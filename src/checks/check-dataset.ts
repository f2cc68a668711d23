import type { Dataset } from '../model/dataset.js';
import { checkChangedCodes, checkCorrection, checkPeriod, checkRegionCodes, checkStatus, checkTemplateNames } from './built-in.js';
import { type RuleMeta, Tally, tableWide } from './finding-kit.js';
import { runRule, tablesOf } from './rule-kinds.js';
import type { RuleSet } from './rules.js';
import type { TemplateFacts } from './template-facts.js';
import type { CheckReport } from './types.js';

/** What a dataset is checked against besides its own figures. */
export interface CheckOptions {
  readonly rules: RuleSet;
  /** What the template's texts and tables name (see templateFacts); without it those checks are skipped. */
  readonly facts?: TemplateFacts;
  /** The dataset of the previous period, for period-on-period changes. */
  readonly previous?: Dataset;
  /** The edition this dataset corrects, for the checks of a correction. */
  readonly compare?: Dataset;
}

/** The built-in checks: they need no rule file. Their ids start with "ingebouwd-". */
export const BUILT_IN = {
  period: { id: 'ingebouwd-periode', text: 'Elke tabel bevat de periode van de publicatie; een tabel met één periode bevat alleen die.' },
  status: {
    id: 'ingebouwd-status',
    text: 'De status van de publicatie (voorlopig, nader voorlopig, definitief) is die van haar periode in elke tabel.',
  },
  codes: {
    id: 'ingebouwd-codelijst',
    text: 'Een regio-indeling is in elke tabel die haar gebruikt volledig: geen tabel mist een regio die een andere tabel heeft.',
  },
  names: {
    id: 'ingebouwd-sjabloon',
    text: 'Elke tabel, maat, dimensie en code die het sjabloon of een regel noemt, bestaat in de dataset.',
  },
  changedCodes: { id: 'ingebouwd-codes-vorige-periode', text: 'Codes die sinds de vorige periode zijn bijgekomen of verdwenen.' },
  correction: {
    id: 'ingebouwd-correctie',
    text: 'Een gecorrigeerde editie wijzigt cijfers of teksten, maar niet de periode of andere gegevens van de publicatie.',
  },
} as const;

/** Runs the rules and built-in checks on a dataset. Pure: no files, no clock, no network. */
export function checkDataset(dataset: Dataset, options: CheckOptions): CheckReport {
  const tallies: Tally[] = [];
  const tally = (meta: RuleMeta): Tally => {
    const t = new Tally(meta);
    tallies.push(t);
    return t;
  };
  const tableById = new Map(dataset.tables.map((t) => [t.id, t]));
  const names = tally({ ...BUILT_IN.names, kind: 'namen', severity: 'error', builtIn: true });
  const missingName = (message: string, tableId: string | null = null): void =>
    names.fail(() => ({
      ...tableWide(tableId ? (tableById.get(tableId) ?? null) : null),
      values: [],
      expected: 'een naam die in de dataset bestaat',
      message,
    }));

  checkPeriod(dataset, tally({ ...BUILT_IN.period, kind: 'periode', severity: 'error', builtIn: true }));
  checkStatus(dataset, tally({ ...BUILT_IN.status, kind: 'status', severity: 'error', builtIn: true }));
  checkRegionCodes(dataset, tally({ ...BUILT_IN.codes, kind: 'codelijst', severity: 'error', builtIn: true }));
  if (options.facts) checkTemplateNames(dataset, options.facts, names, missingName);

  for (const rule of options.rules.rules) {
    const t = tally({ id: rule.raw.id, kind: rule.raw.kind, severity: rule.severity, text: rule.raw.text, builtIn: false });
    const tables = tablesOf(dataset, rule, tableById, missingName);
    runRule(dataset, rule, tables, t, options, missingName);
  }

  if (options.previous)
    checkChangedCodes(
      dataset,
      options.previous,
      tally({ ...BUILT_IN.changedCodes, kind: 'codes-vorige-periode', severity: 'warning', builtIn: true }),
    );
  if (options.compare)
    checkCorrection(dataset, options.compare, tally({ ...BUILT_IN.correction, kind: 'correctie', severity: 'error', builtIn: true }));

  const findings = tallies.flatMap((t) => t.findings);
  const sorted = [...findings.filter((f) => f.severity === 'error'), ...findings.filter((f) => f.severity === 'warning')];
  return {
    publicationId: dataset.publication.id,
    period: dataset.publication.period.key,
    errors: sorted.filter((f) => f.severity === 'error').length,
    warnings: sorted.filter((f) => f.severity === 'warning').length,
    rules: tallies.map((t) => t.summary()),
    findings: sorted,
    truncatedRules: tallies.filter((t) => t.fails > t.findings.length).map((t) => t.meta.id),
  };
}
