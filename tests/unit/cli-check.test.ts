import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/checks/index.js';
import { EXAMPLES, readExampleJson } from '../helpers/examples.js';
import { runTool } from '../helpers/run-tool.js';

const work = mkdtempSync(path.join(tmpdir(), 'cli-check-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const tool = runTool;

/** Writes a copy of the as-published example with one kerncijfers cell changed. */
function withCell(name: string, regio: string, measure: string, value: number): string {
  const raw = readExampleJson(EXAMPLES.asPublished);
  const rows = (raw.tables[0] as { rows: Record<string, unknown>[] }).rows;
  const row = rows.find((r) => r.Regio === regio);
  if (!row) throw new Error(regio);
  row[measure] = value;
  const file = path.join(work, name);
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('npm run check', () => {
  it('passes the 2019 example with exit code 0 and a summary per rule', async () => {
    const result = await tool('src/cli-check.ts', ['--dataset', EXAMPLES.asPublished]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 fouten, 0 waarschuwingen');
    expect(result.stdout).toMatch(/kerncijfers-nederland-som-regios\s+fout\s+12\s+12\s+0\s+0/);
  });

  it('prints each finding in Dutch with rule, row by codes and titles, measure, figures and expectation; exit 1', async () => {
    const file = withCell('sum.json', 'VT05', 'GestarteAdviezen', 3_000);
    const result = await tool('src/cli-check.ts', ['--dataset', file]);
    expect(result.code).toBe(1);
    const out = plain(result.stdout);
    expect(out).toContain(
      'FOUT [kerncijfers-nederland-som-regios] Tabel "Kerncijfers per Veilig Thuis-regio", Totaal, 1e halfjaar van 2019, Gestarte adviezen: het totaal 53 080 wijkt',
    );
    expect(out).toContain('rij: Veilig Thuis-regio = Totaal (NL01); Perioden = 1e halfjaar van 2019 (2019HJ01)');
    expect(out).toContain('maat: Gestarte adviezen (GestarteAdviezen)');
    expect(out).toContain('verwacht: gelijk aan de som van de delen, op 65 na (afronding)');
  });

  it('gives the findings as data with --json, and checks a correction with --compare', async () => {
    const result = await tool('src/cli-check.ts', ['--dataset', EXAMPLES.asPublished, '--compare', EXAMPLES.asPublished, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report.errors).toBe(1);
    expect(report.findings[0]).toMatchObject({ ruleId: 'ingebouwd-correctie', severity: 'error', tableId: null });
    expect(report.findings[0]?.message).toMatch(/^Geen wijzigingen/);
  });

  it('warns about period-on-period jumps with --previous, exit 0', async () => {
    const result = await tool('src/cli-check.ts', ['--dataset', EXAMPLES.corrected, '--previous', EXAMPLES.asPublished, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report.errors).toBe(0);
    expect(report.warnings).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.ruleId === 'sprong-ten-opzichte-van-vorige-periode')).toBe(true);
  });
});

describe('npm run render runs the checks first', () => {
  it('refuses a dataset with errors and writes nothing', async () => {
    const file = withCell('render-error.json', 'NL01', 'GestarteCasussen', 99_995);
    const out = path.join(work, 'error-out');
    const result = await tool('src/cli.ts', ['--dataset', file, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error DATASET_IMPLAUSIBLE');
    expect(result.stderr).toContain('FOUT [waarvan-hoogstens-geheel]');
    expect(existsSync(out)).toBe(false);
  });

  it('renders a dataset with warnings only with --accept-warnings, and records the acceptance', async () => {
    const file = withCell('render-warning.json', 'VT03', 'Overdrachten', 1_331);
    const out = path.join(work, 'warning-out');
    const refused = await tool('src/cli.ts', ['--dataset', file, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error WARNINGS_NOT_ACCEPTED');
    expect(refused.stderr).toContain('WAARSCHUWING [aantallen-afgerond-op-5]');
    expect(existsSync(out)).toBe(false);
    const accepted = await tool('src/cli.ts', ['--dataset', file, '--out', out, '--accept-warnings']);
    expect(accepted.code).toBe(0);
    expect(existsSync(path.join(out, 'publicatie.pdf'))).toBe(true);
    const record = JSON.parse(readFileSync(path.join(out, 'geaccepteerde-waarschuwingen.json'), 'utf8'));
    expect(record.acceptance.findings).toEqual(['aantallen-afgerond-op-5|kerncijfers|Regio=VT03,Perioden=2019HJ01|Overdrachten']);
    expect(typeof record.acceptance.by).toBe('string');
    expect(Date.parse(record.acceptance.at)).not.toBeNaN();
  });
});
