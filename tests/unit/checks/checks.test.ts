import { describe, expect, it } from 'vitest';
import { checkDataset, checkWithTemplates, type Finding, parseRules } from '../../../src/checks/index.js';
import { isAppError } from '../../../src/errors.js';
import type { Dataset } from '../../../src/model/dataset.js';
import { loadTemplates } from '../../../src/resources.js';
import { EXAMPLES, loadExample, readExampleJson, toDataset } from '../../helpers/examples.js';

const templates = loadTemplates();
type Raw = ReturnType<typeof readExampleJson>;
type RawTable = {
  id: string;
  rows: Record<string, unknown>[];
  dimensions: { key: string; codes: Record<string, unknown>[] }[];
  measures: Record<string, unknown>[];
};

function table(raw: Raw, id: string): RawTable {
  const found = (raw.tables as unknown as RawTable[]).find((t) => t.id === id);
  if (!found) throw new Error(`no table ${id}`);
  return found;
}

/** Adds to one count of the kerncijfers. */
function add(raw: Raw, regio: string, measure: string, amount: number): void {
  const r = row(raw, 'kerncijfers', { Regio: regio });
  r[measure] = Number(r[measure]) + amount;
}

function row(raw: Raw, id: string, codes: Record<string, string>): Record<string, unknown> {
  const found = table(raw, id).rows.find((r) => Object.entries(codes).every(([k, v]) => r[k] === v));
  if (!found) throw new Error(`no row ${JSON.stringify(codes)} in ${id}`);
  return found;
}

/** Checks a changed copy of the as-published example. */
function mutated(change: (raw: Raw) => void, more: { previous?: Dataset; compare?: Dataset } = {}) {
  const raw = readExampleJson(EXAMPLES.asPublished);
  change(raw);
  return checkWithTemplates(toDataset(raw), templates, more);
}

/** The findings of one rule, with Dutch number spacing written as plain spaces for comparison. */
function only(findings: readonly Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId).map((f) => ({ ...f, message: f.message.replace(/[\u00a0\u202f]/g, ' ') }));
}

const codesOf = (f: Finding) => Object.fromEntries(f.codes.map((c) => [c.dimension, c.code]));

describe('the 2019 example', () => {
  it('passes every rule and built-in check, first and corrected edition', () => {
    for (const file of [EXAMPLES.asPublished, EXAMPLES.corrected, EXAMPLES.mensenhandel2023]) {
      const report = checkWithTemplates(loadExample(file), templates);
      expect(report.findings).toEqual([]);
      expect(report.errors + report.warnings).toBe(0);
      // The rules really ran: every sum, identity and template figure was confronted with the data.
      if (file !== EXAMPLES.mensenhandel2023) {
        for (const id of [
          'kerncijfers-nederland-som-regios',
          'kerncijfers-gelijk-aan-uitsplitsing-meldingen',
          'teksten-gebruiken-getallen',
        ]) {
          const rule = report.rules.find((r) => r.id === id);
          expect(rule?.passes, id).toBeGreaterThan(0);
        }
      }
    }
  });

  it('passes as a correction of the first edition', () => {
    const report = checkWithTemplates(loadExample(EXAMPLES.corrected), templates, { compare: loadExample(EXAMPLES.asPublished) });
    expect(report.findings).toEqual([]);
  });
});

describe('the faulty datasets of issue 13', () => {
  it('a publication period the tables do not hold: error per table, and the text would misname the period', () => {
    const report = mutated((raw) => {
      (raw.publication as { period: { key: string; title: string } }).period = { key: '2019HJ02', title: '2e halfjaar van 2019' };
    });
    const period = only(report.findings, 'ingebouwd-periode');
    expect(period).toHaveLength(8);
    expect(period.every((f) => f.severity === 'error')).toBe(true);
    expect(period[0]?.tableId).toBe('kerncijfers');
    expect(period[0]?.message).toContain('alleen periode 2019HJ01 (1e halfjaar van 2019), maar de publicatie gaat over 2019HJ02');
  });

  it("a category larger than its total: the sum, the part and the sentence's percentage", () => {
    const report = mutated((raw) => {
      row(raw, 'adviezen-adviesvrager', { Adviesvrager: 'A001' }).GestarteAdviezen = 58_390; // 110 % of 53 080
    });
    const sum = only(report.findings, 'adviesvrager-totaal-is-som');
    expect(sum).toHaveLength(1);
    expect(codesOf(sum[0] as Finding)).toEqual({ Adviesvrager: 'T001', Perioden: '2019HJ01' });
    const text = only(report.findings, 'teksten-gebruiken-getallen');
    expect(text).toHaveLength(1);
    const lines = (loadTemplates()['beleidsinformatie/02-uitkomsten.hbs'] ?? '').split('\n');
    const line = lines.findIndex((l) => l.includes('Adviesvrager="A001"')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(text[0]?.message).toContain(`02-uitkomsten.hbs, regel ${line}`);
    expect(text[0]?.message).toContain('110 procent');
    expect(text[0]?.severity).toBe('error');
  });

  it('percentages of 128,5 and -3,0 in a table', () => {
    const report = mutated((raw) => {
      const t = table(raw, 'adviezen-adviesvrager');
      t.measures.push({ key: 'Aandeel', title: 'Aandeel', unit: 'procent', decimals: 1 });
      const shares: Record<string, number> = { T001: 100, A001: 128.5, A002: -3, A003: 20.4 };
      for (const r of t.rows) r.Aandeel = shares[r.Adviesvrager as string];
    });
    const range = only(report.findings, 'percentages-tussen-0-en-100');
    expect(range.map((f) => [codesOf(f).Adviesvrager, f.values[0]?.value])).toEqual([
      ['A001', 128.5],
      ['A002', -3],
    ]);
    expect(range[0]?.message).toContain('128,5 ligt niet tussen 0 en 100');
  });

  it('a total that is not the sum of its regions, beyond the rounding tolerance (26 × 2,5)', () => {
    // The example's total differs from its summed regions by at most 10: 55 more stays within 26 × 2,5.
    const within = mutated((raw) => {
      add(raw, 'VT05', 'GestarteAdviezen', 55);
    });
    expect(only(within.findings, 'kerncijfers-nederland-som-regios')).toEqual([]);
    const report = mutated((raw) => {
      add(raw, 'VT05', 'GestarteAdviezen', 100);
    });
    const sum = only(report.findings, 'kerncijfers-nederland-som-regios');
    expect(sum).toHaveLength(1);
    expect(sum[0]?.measure?.key).toBe('GestarteAdviezen');
    expect(codesOf(sum[0] as Finding)).toEqual({ Regio: 'NL01', Perioden: '2019HJ01' });
    expect(sum[0]?.cells).toHaveLength(27);
  });

  it('a "waarvan" part larger than its parent', () => {
    const report = mutated((raw) => {
      row(raw, 'kerncijfers', { Regio: 'NL01' }).GestarteDienstenOnderzoek = 4_200; // parent 4 165
    });
    const parent = only(report.findings, 'waarvan-hoogstens-geheel');
    expect(parent).toHaveLength(1);
    expect(parent[0]?.measure?.key).toBe('GestarteDienstenOnderzoek');
    expect(parent[0]?.message).toContain('"waarvan gestart" (4 200) is groter dan het geheel "Actieve diensten onderzoek" (4 165)');
  });

  it('counts that are not multiples of 5, among them "1.000" that became 1', () => {
    const report = mutated((raw) => {
      row(raw, 'kerncijfers', { Regio: 'VT03' }).Overdrachten = 1;
      row(raw, 'kerncijfers', { Regio: 'VT04' }).ActieveCasussen = 1_233;
    });
    const rounding = only(report.findings, 'aantallen-afgerond-op-5');
    expect(rounding.map((f) => [codesOf(f).Regio, f.measure?.key, f.severity])).toEqual([
      ['VT03', 'Overdrachten', 'warning'],
      ['VT04', 'ActieveCasussen', 'warning'],
    ]);
    expect(rounding[0]?.message).toContain('"1.000" dat 1 werd');
    // The 1 also breaks the regional sum: an error, at the total.
    expect(only(report.findings, 'kerncijfers-nederland-som-regios').map((f) => f.measure?.key)).toContain('Overdrachten');
  });

  it('a blank cell ("cannot occur") where a count belongs', () => {
    const report = mutated((raw) => {
      row(raw, 'kerncijfers', { Regio: 'VT07' }).ActieveCasussen = '';
      row(raw, 'huiselijk-geweld-aard-regio', { AardGeweld: 'H003', AanvullendeInformatie: 'T001', Regio: 'PV20' }).GestarteAdviezen = '';
    });
    const filled = only(report.findings, 'aantallen-ingevuld');
    expect(filled.map((f) => [f.tableId, codesOf(f).Regio, f.measure?.key])).toEqual([
      ['kerncijfers', 'VT07', 'ActieveCasussen'],
      ['huiselijk-geweld-aard-regio', 'PV20', 'GestarteAdviezen'],
    ]);
    expect(filled[0]?.message).toContain('leeg ("kan niet voorkomen")');
  });

  it('a blank or "." cell that a sentence prints', () => {
    const report = mutated((raw) => {
      row(raw, 'kerncijfers', { Regio: 'NL01' }).GestarteAdviezen = '.';
    });
    const text = only(report.findings, 'teksten-gebruiken-getallen');
    expect(text).toHaveLength(1);
    expect(text[0]?.message).toContain('02-uitkomsten.hbs, regel 11');
    expect(text[0]?.message).toContain('is "." (onbekend of geheim)');
  });

  it('a region left out of rows and code list', () => {
    const report = mutated((raw) => {
      const t = table(raw, 'kerncijfers');
      const regio = t.dimensions[0] as RawTable['dimensions'][number];
      regio.codes = regio.codes.filter((c) => c.key !== 'VT26');
      t.rows = t.rows.filter((r) => r.Regio !== 'VT26');
    });
    const declared = only(report.findings, 'kerncijfers-regios-volledig');
    expect(declared).toHaveLength(1);
    expect(declared[0]?.message).toContain('mist code VT26: 25 in plaats van 26 codes');
    const builtIn = only(report.findings, 'ingebouwd-codelijst');
    expect(builtIn[0]?.tableId).toBe('kerncijfers');
    expect(builtIn[0]?.message).toContain('mist VT26');
    expect(only(report.findings, 'kerncijfers-nederland-som-regios').length).toBeGreaterThan(0);
  });

  it('status "nader voorlopig" on the title page while the tables say "voorlopig"', () => {
    const report = mutated((raw) => {
      (raw.publication as { status: string }).status = 'nader voorlopig';
    });
    const status = only(report.findings, 'ingebouwd-status');
    expect(status).toHaveLength(8);
    expect(status[0]?.message).toContain(
      'De publicatie heeft status "nader voorlopig", maar in tabel "Kerncijfers per Veilig Thuis-regio" heeft periode 2019HJ01 status "voorlopig"',
    );
  });

  it('a correction whose figures and labels equal the edition it corrects: "geen wijzigingen"', () => {
    const first = loadExample(EXAMPLES.asPublished);
    const report = checkWithTemplates(loadExample(EXAMPLES.asPublished), templates, { compare: first });
    const correction = only(report.findings, 'ingebouwd-correctie');
    expect(correction).toHaveLength(1);
    expect(correction[0]?.message).toMatch(/^Geen wijzigingen/);
    expect(report.errors).toBe(1);
  });

  it('a correction that changes only a title is a correction', () => {
    const report = mutated(
      (raw) => {
        table(raw, 'kerncijfers').measures[0] = { ...table(raw, 'kerncijfers').measures[0], title: 'Gestarte adviezen (gecorrigeerd)' };
      },
      { compare: loadExample(EXAMPLES.asPublished) },
    );
    expect(only(report.findings, 'ingebouwd-correctie')).toEqual([]);
    expect(report.rules.find((r) => r.id === 'ingebouwd-correctie')?.fails).toBe(0);
  });

  it('a 2e-halfjaar dataset sent as a correction of the 1e halfjaar: refused, the period may not change', () => {
    const report = mutated(
      (raw) => {
        (raw.publication as { period: { key: string; title: string } }).period = { key: '2019HJ02', title: '2e halfjaar van 2019' };
        for (const t of raw.tables as unknown as RawTable[]) {
          const time = t.dimensions.find((d) => d.key === 'Perioden');
          if (time) time.codes = [{ key: '2019HJ02', title: '2e halfjaar van 2019', status: 'voorlopig' }];
          for (const r of t.rows) r.Perioden = '2019HJ02';
        }
      },
      { compare: loadExample(EXAMPLES.asPublished) },
    );
    const correction = only(report.findings, 'ingebouwd-correctie');
    expect(correction.map((f) => f.values.map((v) => v.value))).toEqual([
      ['2019HJ01', '2019HJ02'],
      ['1e halfjaar van 2019', '2e halfjaar van 2019'],
    ]);
    expect(correction[0]?.message).toContain('een nieuwe periode is een nieuwe publicatie');
    expect(only(report.findings, 'ingebouwd-periode')).toEqual([]);
  });
});

describe('each rule kind', () => {
  it("identity between tables: the Kerncijfers national total equals the breakdown's total", () => {
    const report = mutated((raw) => {
      row(raw, 'meldingen-melder', { Melder: 'T001' }).OntvangenMeldingen = 64_000;
    });
    const identity = only(report.findings, 'kerncijfers-gelijk-aan-uitsplitsing-meldingen');
    expect(identity).toHaveLength(1);
    expect(identity[0]?.tableId).toBe('meldingen-melder');
    expect(identity[0]?.message).toContain(
      'is 64 000, maar tabel "Kerncijfers per Veilig Thuis-regio", Totaal, 1e halfjaar van 2019, Ontvangen meldingen is 64 960',
    );
  });

  it('part: a category above its total in a table whose categories overlap', () => {
    const report = mutated((raw) => {
      row(raw, 'huiselijk-geweld-aard-regio', {
        AardGeweld: 'H002',
        AanvullendeInformatie: 'T001',
        Regio: 'NL01',
      }).OntvangenMeldingen = 70_000;
    });
    const part = only(report.findings, 'aard-geweld-hoogstens-totaal');
    expect(part).toHaveLength(1);
    expect(codesOf(part[0] as Finding)).toMatchObject({ AardGeweld: 'H002', Regio: 'NL01' });
  });

  it('condition: an expression over the measures of a row', () => {
    const report = mutated((raw) => {
      row(raw, 'kerncijfers', { Regio: 'VT10' }).GeslotenCasussen = 999_995;
    });
    const condition = only(report.findings, 'casussen-gestart-hoogstens-actief');
    expect(condition).toHaveLength(1);
    expect(codesOf(condition[0] as Finding).Regio).toBe('VT10');
  });

  it('range: a negative count', () => {
    const raw = readExampleJson(EXAMPLES.asPublished);
    row(raw, 'kerncijfers', { Regio: 'VT01' }).Overdrachten = -5;
    // The dataset format already refuses negative counts; the rule catches any other measure declared as count.
    expect(() => toDataset(raw)).toThrow(/cannot be negative/);
    const rules = parseRules('version: 1\nrules:\n  - {id: r, kind: range, text: t, min: 0, measures: all}\n', 'r.yaml');
    const ok = checkDataset(loadExample(EXAMPLES.asPublished), { rules });
    expect(ok.rules.find((r) => r.id === 'r')?.fails).toBe(0);
  });

  it('change: period on period, and codes that came or went', () => {
    const previousRaw = readExampleJson(EXAMPLES.asPublished);
    (previousRaw.publication as { period: { key: string; title: string } }).period = { key: '2018HJ02', title: '2e halfjaar van 2018' };
    for (const t of previousRaw.tables as unknown as RawTable[]) {
      const time = t.dimensions.find((d) => d.key === 'Perioden');
      if (time) time.codes = [{ key: '2018HJ02', title: '2e halfjaar van 2018', status: 'voorlopig' }];
      for (const r of t.rows) r.Perioden = '2018HJ02';
    }
    row(previousRaw, 'kerncijfers', { Regio: 'VT12' }).GestarteAdviezen = 1_000;
    const partij = table(previousRaw, 'overdrachten-partij');
    (partij.dimensions[0] as RawTable['dimensions'][number]).codes.push({ key: 'E099', title: 'Vervallen partij' });
    partij.rows.push({ Partij: 'E099', Perioden: '2018HJ02', Overdrachten: 0 });
    const report = checkWithTemplates(loadExample(EXAMPLES.asPublished), templates, { previous: toDataset(previousRaw) });
    const change = only(report.findings, 'sprong-ten-opzichte-van-vorige-periode');
    expect(change.map((f) => [codesOf(f).Regio, f.measure?.key, f.severity])).toEqual([['VT12', 'GestarteAdviezen', 'warning']]);
    expect(change[0]?.message).toContain('van 1 000 in het 2e halfjaar van 2018 naar');
    const codes = only(report.findings, 'ingebouwd-codes-vorige-periode');
    expect(codes).toHaveLength(1);
    expect(codes[0]?.message).toContain('verdwenen E099 (Vervallen partij)');
    expect(report.errors).toBe(0);
  });

  it('names: a table the template shows must exist', () => {
    const report = mutated((raw) => {
      raw.tables = (raw.tables as unknown as RawTable[]).filter((t) => t.id !== 'overdrachten-partij') as never;
    });
    const names = only(report.findings, 'ingebouwd-sjabloon');
    expect(names.length).toBeGreaterThan(0);
    // The line of the template that names the table, read from the template itself.
    const lines = (loadTemplates()['beleidsinformatie/02-uitkomsten.hbs'] ?? '').split('\n');
    const line = lines.findIndex((l) => l.includes('"overdrachten-partij"')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(names.some((f) => f.message.includes(`02-uitkomsten.hbs, regel ${line}`) && f.message.includes('"overdrachten-partij"'))).toBe(
      true,
    );
  });

  it('summarises each rule: items, passes, fails, skipped', () => {
    const report = checkWithTemplates(loadExample(EXAMPLES.asPublished), templates);
    const aard = report.rules.find((r) => r.id === 'aard-geweld-hoogstens-totaal');
    expect(aard).toMatchObject({ items: 13_545, fails: 0, builtIn: false });
    expect((aard?.passes ?? 0) + (aard?.skipped ?? 0)).toBe(13_545);
  });
});

describe('the rule file', () => {
  const refused = (text: string): string => {
    try {
      parseRules(text, 'templates/test/rules.yaml');
    } catch (error) {
      if (isAppError(error, 'RULES_INVALID')) return error.message;
      throw error;
    }
    throw new Error('not refused');
  };

  it('refuses a YAML syntax error naming file and line', () => {
    expect(refused('version: 1\nrules:\n  - id: a\n    kind: sum\n   text: [broken\n')).toMatch(
      /^templates\/test\/rules\.yaml, line [45]: not valid YAML/,
    );
  });

  it('refuses an unknown kind or field naming its line', () => {
    expect(refused('version: 1\nrules:\n  - id: a\n    kind: sum\n    text: t\n    dimension: Regio\n    colour: red\n')).toMatch(
      /^templates\/test\/rules\.yaml, line 3: .*colour/,
    );
  });

  it('refuses expressions that try to run code', () => {
    const attempts = [
      'constructor.constructor("return process")()',
      "this.constructor.constructor('return 1')()",
      'constructor of parts',
      'process',
      'parts.toString',
      'eval(1)',
      '__proto__',
      'require(1)',
    ];
    for (const tolerance of attempts) {
      const text = `version: 1\nrules:\n  - id: a\n    kind: sum\n    text: t\n    dimension: Regio\n    tolerance: '${tolerance.replaceAll("'", "''")}'\n`;
      expect(refused(text), tolerance).toMatch(/^templates\/test\/rules\.yaml, line 7: rule "a", tolerance/);
    }
    expect(refused('version: 1\nrules:\n  - {id: a, kind: condition, text: t, tables: [x], condition: "constructor > 1"}\n')).toContain(
      '"constructor"',
    );
  });

  it('accepts arithmetic over the allowed names', () => {
    const set = parseRules(
      'version: 1\nrules:\n  - {id: a, kind: sum, text: t, dimension: R, tolerance: "max(parts * 2.5, total * 0.001)"}\n',
      'r.yaml',
    );
    expect(set.rules[0]?.tolerance?.evaluate({ parts: 26, total: 100_000 })).toBe(100);
  });
});
