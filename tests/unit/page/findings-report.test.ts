import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { acceptedRules, groupByRule, indexTables, keyOf, rowLabel, shownValue, toCsv } from '../../../src/api/public/findings-report.js';
import { checkWithTemplates } from '../../../src/checks/index.js';
import { loadTemplates } from '../../../src/resources.js';
import { EXAMPLES, readExampleJson, toDataset } from '../../helpers/examples.js';

// The findings of the checks as the page shows them, without the page (src/api/public/
// findings-report.js), on a real report: the 2019 example with a national total that no longer sums.

type Row = Record<string, unknown>;

function brokenExample() {
  const raw = readExampleJson(EXAMPLES.asPublished);
  const kerncijfers = (raw.tables as { id: string; rows: Row[] }[]).find((t) => t.id === 'kerncijfers');
  const amsterdam = kerncijfers?.rows.find((r) => r.Regio === 'VT01');
  if (!amsterdam) throw new Error('the example has no kerncijfers row for VT01');
  amsterdam.GestarteAdviezen = Number(amsterdam.GestarteAdviezen) + 1_000;
  return raw;
}

describe('findings of the checks in the page', () => {
  const raw = brokenExample();
  const report = checkWithTemplates(toDataset(raw), loadTemplates());

  it('groups the findings by rule, with the rule and its severity', () => {
    expect(report.errors).toBeGreaterThan(0);
    const groups = groupByRule(report);
    expect(groups.flatMap((g) => g.findings)).toHaveLength(report.findings.length);
    for (const group of groups) {
      expect(group.rule?.id).toBe(group.findings[0]?.ruleId);
      expect(new Set(group.findings.map((f) => f.ruleId)).size).toBe(1);
      expect(group.findings.every((f) => f.severity === group.severity)).toBe(true);
    }
    expect(groups.map((g) => g.rule?.id)).toContain('kerncijfers-nederland-som-regios');
  });

  it('finds the row of each marked cell in the dataset, and names it as the grid does', () => {
    const tables = indexTables(raw as unknown as Parameters<typeof indexTables>[0]);
    const sum = report.findings.find((f) => f.ruleId === 'kerncijfers-nederland-som-regios');
    const cell = sum?.cells[0];
    if (!cell) throw new Error('the sum rule has no finding');
    const entry = tables.get(cell.tableId);
    const row = entry?.rows.get(Object.values(cell.codes).join('\u0000'));
    expect(row?.Regio).toBe('NL01');
    expect(rowLabel(entry!.table, row!)).toBe('Totaal'); // the code NL01's title in the example
    // The key of a mark is the same for the same cell, and differs for another measure.
    expect(keyOf(cell.tableId, cell.codes, cell.measure)).toBe(keyOf(cell.tableId, { ...cell.codes }, cell.measure));
    expect(keyOf(cell.tableId, cell.codes, cell.measure)).not.toBe(keyOf(cell.tableId, cell.codes, 'Overdrachten'));
  });

  it('writes the report as CSV for Excel in Dutch: BOM, ";" between fields, one finding a line', () => {
    const csv = toCsv(report);
    expect(csv.startsWith('\ufeffernst;regel;tabel;rij;maat;cijfers;verwacht;melding\r\n')).toBe(true);
    const records = parse(csv.slice(1), { delimiter: ';', columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
    expect(records).toHaveLength(report.findings.length);
    report.findings.forEach((finding, i) => {
      expect(records[i]?.regel).toBe(finding.ruleId);
      expect(records[i]?.ernst).toBe(finding.severity === 'error' ? 'fout' : 'waarschuwing');
      expect(records[i]?.melding).toBe(finding.message);
      expect(records[i]?.verwacht).toBe(finding.expected);
    });
  });

  it('shows a figure as the publication prints it, a symbol as it is and a blank as "leeg"', () => {
    expect(shownValue(53_080)).toBe('53\u00a0080');
    expect(shownValue(12.5)).toBe('12,5');
    expect(shownValue('.')).toBe('.');
    expect(shownValue('')).toBe('leeg');
    expect(shownValue(null)).toBe('–');
  });

  it('names each rule of the accepted warnings once', () => {
    expect(acceptedRules(['vijftallen|kerncijfers|VT01|Overdrachten', 'vijftallen|kerncijfers|VT02|Overdrachten', 'ander|t|x|m'])).toBe(
      'vijftallen, ander',
    );
    expect(acceptedRules([])).toBe('');
  });
});
