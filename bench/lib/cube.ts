import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLE_DIR } from './example.js';

/** The shape of a generated cube: rows = periods × regions × aard × aanvullende informatie. */
export interface CubeShape {
  readonly periods: number;
  readonly regions: number;
  readonly aard: number;
  readonly extra: number;
}

/**
 * The cube sizes of the scale benchmark: 1×, 10× and 100× about 1 000 rows, 5 measures each,
 * growing in periods (half-years up to the publication period), regions and categories. The
 * readable views show the publication period; the long view and the data sheet every period.
 */
export const CUBE_SIZES: Readonly<Record<string, CubeShape>> = {
  '1x': { periods: 2, regions: 7, aard: 8, extra: 9 },
  '10x': { periods: 4, regions: 35, aard: 8, extra: 9 },
  '100x': { periods: 7, regions: 50, aard: 16, extra: 18 },
};

/** The number of rows of a cube. */
export function cubeRows(shape: CubeShape): number {
  return shape.periods * shape.regions * shape.aard * shape.extra;
}

interface RawCode {
  key: string;
  title: string;
  total?: boolean;
  level?: string;
  status?: string;
}
interface RawDimension {
  key: string;
  title: string;
  kind: string;
  codes: RawCode[];
}
interface RawTable {
  id: string;
  dimensions: RawDimension[];
  measures: { key: string; unit: string }[];
  rows: Record<string, string | number>[];
  [field: string]: unknown;
}
interface RawDataset {
  publication: Record<string, unknown> & { period: { key: string; title: string } };
  tables: RawTable[];
  [field: string]: unknown;
}

/** A small deterministic random generator (mulberry32), so every run writes the same figures. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function categoryCodes(template: readonly RawCode[], count: number, prefix: string, noun: string): RawCode[] {
  const codes = template.slice(0, Math.min(count, template.length)).map((c) => ({ ...c }));
  for (let i = codes.length; i < count; i++) codes.push({ key: `${prefix}${String(i).padStart(3, '0')}`, title: `${noun} ${i}` });
  return codes;
}

function regionCodes(template: readonly RawCode[], count: number): RawCode[] {
  const codes = template.slice(0, Math.min(count, template.length)).map((c) => ({ ...c }));
  for (let i = codes.length; i < count; i++)
    codes.push({ key: `GM${String(i).padStart(4, '0')}`, title: `Gemeente ${i}`, level: 'veilig-thuis-regio' });
  return codes;
}

/** Half-years ending with the publication period (2019HJ01), oldest first. */
function periodCodes(count: number, last: string): RawCode[] {
  const year = Number(last.slice(0, 4));
  const half = Number(last.slice(-1));
  const codes: RawCode[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const index = year * 2 + (half - 1) - i;
    const y = Math.floor(index / 2);
    const h = (index % 2) + 1;
    codes.push({ key: `${y}HJ0${h}`, title: `${h}e halfjaar van ${y}`, ...(i === 0 ? { status: 'voorlopig' } : {}) });
  }
  return codes;
}

/**
 * A valid dataset (StatLine format, docs/dataset-format.md) holding one cube of the given shape:
 * the example's "huiselijk-geweld-aard-regio" table grown in periods, regions and categories,
 * with deterministic figures (multiples of 5, about 4% "." cells). Returned as the raw JSON value;
 * `parseDataset` validates it like any input.
 */
export function generateCubeDataset(shape: CubeShape): RawDataset {
  const example = JSON.parse(readFileSync(path.join(EXAMPLE_DIR, 'dataset.json'), 'utf8')) as RawDataset;
  const source = example.tables.find((t) => t.id === 'huiselijk-geweld-aard-regio');
  if (!source) throw new Error('the example has no table huiselijk-geweld-aard-regio');
  const dim = (key: string): RawDimension => {
    const found = source.dimensions.find((d) => d.key === key);
    if (!found) throw new Error(`the example cube has no dimension ${key}`);
    return found;
  };
  const aard = { ...dim('AardGeweld'), codes: categoryCodes(dim('AardGeweld').codes, shape.aard, 'H', 'Aard') };
  const extra = {
    ...dim('AanvullendeInformatie'),
    codes: categoryCodes(dim('AanvullendeInformatie').codes, shape.extra, 'I', 'Aanvullende informatie'),
  };
  const regio = { ...dim('Regio'), codes: regionCodes(dim('Regio').codes, shape.regions) };
  const perioden = { ...dim('Perioden'), codes: periodCodes(shape.periods, example.publication.period.key) };
  const dimensions = [aard, extra, regio, perioden];

  const next = random(20190101 + cubeRows(shape));
  const rows: Record<string, string | number>[] = [];
  for (const a of aard.codes) {
    for (const e of extra.codes) {
      for (const r of regio.codes) {
        for (const p of perioden.codes) {
          const row: Record<string, string | number> = { AardGeweld: a.key, AanvullendeInformatie: e.key, Regio: r.key, Perioden: p.key };
          for (const m of source.measures) row[m.key] = next() < 0.04 ? '.' : Math.round(next() * 2000) * 5;
          rows.push(row);
        }
      }
    }
  }
  const table: RawTable = { ...source, id: 'kubus', dimensions, rows };
  return {
    formatVersion: example.formatVersion,
    publication: { ...example.publication, id: `bench-kubus-${cubeRows(shape)}` },
    tables: [table],
  };
}

/**
 * The 2019 example with its cube ("huiselijk-geweld-aard-regio") replaced by a generated one of
 * the given shape: a whole edition (publication PDF and workbook) over a large cube. Without "."
 * cells, since the publication's text quotes the cube's totals.
 */
export function generateEditionWithCube(shape: CubeShape): RawDataset {
  const example = JSON.parse(readFileSync(path.join(EXAMPLE_DIR, 'dataset.json'), 'utf8')) as RawDataset;
  const cube = generateCubeDataset(shape).tables[0];
  if (!cube) throw new Error('the generated dataset has no cube');
  for (const row of cube.rows) {
    for (const [key, value] of Object.entries(row)) if (value === '.') row[key] = 5;
  }
  const index = example.tables.findIndex((t) => t.id === 'huiselijk-geweld-aard-regio');
  if (index < 0) throw new Error('the example has no table huiselijk-geweld-aard-regio');
  example.tables[index] = { ...cube, id: 'huiselijk-geweld-aard-regio' };
  return example;
}
