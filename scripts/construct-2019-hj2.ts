// @ts-nocheck -- a one-off construction script, run with tsx; see README (2e halfjaar 2019).
// Fills the figures of the 2e halfjaar 2019 example: a skeleton made by `npm run new-period` from
// the 1e halfjaar. The figures are CONSTRUCTED from the 1e halfjaar's (a growth per measure and a
// deterministic variation per region), not CBS figures; every table is marked illustrative.
//
//   npx tsx scripts/construct-2019-hj2.ts <hj1 dataset.json> <skeleton dataset.json>   (rewrites the skeleton)
//
// Kerncijfers: every count a multiple of 5; Nederland is the rounded sum of the unrounded regions,
// so it differs from the sum of the rounded regions by the rounding only; a "waarvan" part is at
// most its parent. Breakdowns: their totals are the Kerncijfers of Nederland, their parts add up.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { formatDatasetJson } from '../src/model/dataset-json.js';

const [hj1File, skeletonFile] = process.argv.slice(2);
if (!hj1File || !skeletonFile) throw new Error('usage: npx tsx scripts/construct-2019-hj2.ts <hj1 dataset.json> <skeleton dataset.json>');
const hj1 = JSON.parse(readFileSync(hj1File, 'utf8'));
const out = JSON.parse(readFileSync(skeletonFile, 'utf8'));
const round5 = (x) => 5 * Math.round(x / 5);
/** A deterministic variation in [-spread, +spread] for a key. */
const jitter = (key, spread) => (createHash('sha256').update(key).digest().readUInt32BE(0) / 0xffffffff - 0.5) * 2 * spread;

// Growth from the 1e to the 2e halfjaar per measure (constructed).
const GROWTH = {
  GestarteAdviezen: 0.97,
  OntvangenMeldingen: 1.05,
  ActieveCasussen: 1.08,
  GestarteCasussen: 1.03,
  GeslotenCasussen: 1.12,
  ActieveDienstenOnderzoek: 1.1,
  GestarteDienstenOnderzoek: 1.02,
  GeslotenDienstenOnderzoek: 1.15,
  ActieveDienstenVoorwaardenEnVervolg: 1.09,
  GestarteDienstenVoorwaardenEnVervolg: 0.98,
  GeslotenDienstenVoorwaardenEnVervolg: 1.18,
  Overdrachten: 1.04,
};
const table = (ds, id) => ds.tables.find((t) => t.id === id);
const key = out.publication.period.key;

// Kerncijfers.
const k1 = table(hj1, 'kerncijfers');
const k2 = table(out, 'kerncijfers');
const parents = Object.fromEntries(k2.measures.filter((m) => m.parent).map((m) => [m.key, m.parent]));
const raw = {};
for (const row of k2.rows) {
  if (row.Regio === 'NL01') continue;
  const before = k1.rows.find((r) => r.Regio === row.Regio);
  raw[row.Regio] = {};
  for (const m of k2.measures) raw[row.Regio][m.key] = before[m.key] * GROWTH[m.key] * (1 + jitter(`${row.Regio}/${m.key}`, 0.04));
  for (const [m, p] of Object.entries(parents)) raw[row.Regio][m] = Math.min(raw[row.Regio][m], raw[row.Regio][p]);
}
for (const row of k2.rows) {
  for (const m of k2.measures) {
    row[m.key] = row.Regio === 'NL01' ? round5(Object.values(raw).reduce((sum, r) => sum + r[m.key], 0)) : round5(raw[row.Regio][m.key]);
  }
  for (const [m, p] of Object.entries(parents)) row[m] = Math.min(row[m], row[p]);
}
const nl = k2.rows.find((r) => r.Regio === 'NL01');

/** Parts in proportion to the 1e halfjaar's, varied a little, rounded to 5; the largest part takes the remainder. */
function split(total, before, name) {
  const sum = before.reduce((a, b) => a + b, 0);
  const parts = before.map((b, i) => round5((total * b * (1 + jitter(`${name}/${i}`, 0.05))) / sum));
  const largest = parts.indexOf(Math.max(...parts));
  parts[largest] = total - parts.reduce((a, b, i) => (i === largest ? a : a + b), 0);
  return parts;
}

// Breakdowns with one category dimension: total = Kerncijfers of Nederland.
for (const [id, dim, measure] of [
  ['adviezen-adviesvrager', 'Adviesvrager', 'GestarteAdviezen'],
  ['meldingen-melder', 'Melder', 'OntvangenMeldingen'],
  ['veiligheidsbeoordelingen', 'Inhoud', 'OntvangenMeldingen'],
  ['veiligheidstaxatie', 'Taxatie', 'OntvangenMeldingen'],
  ['overdrachten-partij', 'Partij', 'Overdrachten'],
]) {
  const t1 = table(hj1, id);
  const t2 = table(out, id);
  const before = t1.rows.filter((r) => r[dim] !== 'T001').map((r) => r[measure]);
  const parts = split(nl[measure], before, id);
  let i = 0;
  for (const row of t2.rows) row[measure] = row[dim] === 'T001' ? nl[measure] : parts[i++];
}

// Onderzoek: vermoeden × uitkomst; the grand total is the closed onderzoeken of Nederland.
{
  const t1 = table(hj1, 'onderzoek-uitkomst');
  const t2 = table(out, 'onderzoek-uitkomst');
  const m = 'AfgerondeDienstenOnderzoek';
  const inner = t1.rows.filter((r) => r.Vermoeden !== 'T001' && r.Uitkomst !== 'T001');
  const parts = split(
    nl.GeslotenDienstenOnderzoek,
    inner.map((r) => r[m]),
    'onderzoek',
  );
  const cell = new Map(inner.map((r, i) => [`${r.Vermoeden}/${r.Uitkomst}`, parts[i]]));
  for (const row of t2.rows) {
    row[m] = [...cell.entries()]
      .filter(([k]) => {
        const [v, u] = k.split('/');
        return (row.Vermoeden === 'T001' || row.Vermoeden === v) && (row.Uitkomst === 'T001' || row.Uitkomst === u);
      })
      .reduce((a, [, x]) => a + x, 0);
  }
}

// Aard van het geweld per regio: each measure scaled as its Kerncijfer of Nederland, rounded to 5; "." stays ".".
{
  const t1 = table(hj1, 'huiselijk-geweld-aard-regio');
  const t2 = table(out, 'huiselijk-geweld-aard-regio');
  const source = {
    GestarteAdviezen: 'GestarteAdviezen',
    OntvangenMeldingen: 'OntvangenMeldingen',
    CasussenMetOntvangenMeldingen: 'OntvangenMeldingen',
    AfgerondeDienstenOnderzoek: 'GeslotenDienstenOnderzoek',
    AfgerondeDienstenVoorwaardenEnVervolg: 'GeslotenDienstenVoorwaardenEnVervolg',
  };
  const nl1 = k1.rows.find((r) => r.Regio === 'NL01');
  const index = new Map(t1.rows.map((r) => [`${r.AardGeweld}/${r.AanvullendeInformatie}/${r.Regio}`, r]));
  for (const row of t2.rows) {
    const before = index.get(`${row.AardGeweld}/${row.AanvullendeInformatie}/${row.Regio}`);
    for (const m of t2.measures) {
      const v = before[m.key];
      row[m.key] = typeof v === 'number' ? round5((v * nl[source[m.key]]) / nl1[source[m.key]]) : v;
    }
  }
}

for (const t of out.tables) t.illustrative = true;
for (const t of out.tables) for (const c of t.dimensions.find((d) => d.kind === 'time').codes) c.key = key;
writeFileSync(skeletonFile, formatDatasetJson(out));
console.log(`filled ${skeletonFile}: Nederland ${nl.GestarteAdviezen} adviezen, ${nl.OntvangenMeldingen} meldingen`);
