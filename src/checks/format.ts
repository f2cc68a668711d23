import { formatNumber } from '../model/number-format.js';
import type { CheckReport, Finding } from './types.js';

/** A figure as an editor reads it: Dutch digits, symbols named. */
export function showValue(value: number | string | null): string {
  if (value === null) return 'ontbreekt';
  if (typeof value === 'number') return formatNumber(value, Number.isInteger(value) ? 0 : 1);
  if (value === '') return 'leeg';
  return value;
}

function findingLines(f: Finding): string[] {
  const lines = [`  ${f.severity === 'error' ? 'FOUT' : 'WAARSCHUWING'} [${f.ruleId}] ${f.message}`];
  if (f.codes.length > 0) lines.push(`      rij: ${f.codes.map((c) => `${c.dimensionTitle} = ${c.title} (${c.code})`).join('; ')}`);
  if (f.measure) lines.push(`      maat: ${f.measure.title} (${f.measure.key})`);
  if (f.values.length > 0) lines.push(`      cijfers: ${f.values.map((v) => `${v.label}: ${showValue(v.value)}`).join('; ')}`);
  lines.push(`      verwacht: ${f.expected}`);
  return lines;
}

/** The report as text for a terminal: a summary per rule, then each finding in Dutch. */
export function formatReport(report: CheckReport): string {
  const out: string[] = [];
  out.push(
    `Controles van ${report.publicationId} (${report.period}): ${report.errors} ${report.errors === 1 ? 'fout' : 'fouten'}, ${report.warnings} ${report.warnings === 1 ? 'waarschuwing' : 'waarschuwingen'}.`,
  );
  out.push('');
  const width = Math.max(5, ...report.rules.map((r) => r.id.length)) + 2;
  out.push(`${'Regel'.padEnd(width)}soort     items  goed  fout  n.v.t.`);
  for (const r of report.rules) {
    out.push(
      `${r.id.padEnd(width)}${(r.severity === 'error' ? 'fout' : 'waarsch.').padEnd(9)}${String(r.items).padStart(6)}${String(r.passes).padStart(6)}${String(r.fails).padStart(6)}${String(r.skipped).padStart(8)}`,
    );
  }
  if (report.findings.length > 0) out.push('');
  let rule = '';
  for (const f of report.findings) {
    if (f.ruleId !== rule) {
      rule = f.ruleId;
      const summary = report.rules.find((r) => r.id === rule);
      out.push(`${rule}: ${summary?.text ?? ''}`);
    }
    out.push(...findingLines(f));
  }
  for (const id of report.truncatedRules) out.push(`(regel ${id}: alleen de eerste bevindingen getoond; de telling hierboven is volledig)`);
  return out.join('\n');
}
