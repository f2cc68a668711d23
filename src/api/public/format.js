// How the editor's page writes numbers, sizes, dates and places in Dutch. Pure: no page, no DOM;
// the unit tests import it directly (tests/unit/page/format.test.ts).

/** @typedef {import('./page-types.js').Place} Place */

const dateTime = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
const dayOnly = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'UTC' });
const decimal = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('nl-NL');

/** A whole number with Dutch grouping ("1.234"). @param {number} n */
export const formatWhole = (n) => whole.format(n);

/** A file size in bytes, kB or MB (units of 1000). @param {number} bytes */
export function formatSize(bytes) {
  if (bytes < 1000) return `${whole.format(bytes)} bytes`;
  if (bytes < 1_000_000) return `${decimal.format(bytes / 1000)} kB`;
  return `${decimal.format(bytes / 1_000_000)} MB`;
}

/** A moment in Dutch time: "30 januari 2020 om 09:30". @param {string} iso */
export const formatDateTime = (iso) => dateTime.format(new Date(iso)).replace(',', ' om');

/** A calendar day: "30 januari 2020". @param {string} isoDate a date as YYYY-MM-DD */
export const formatDay = (isoDate) => dayOnly.format(new Date(`${isoDate}T12:00:00Z`));

/**
 * A count with its noun: "1 tabel", "3 tabellen".
 * @param {number} n
 * @param {string} one
 * @param {string} more
 */
export const plural = (n, one, more) => `${whole.format(n)} ${n === 1 ? one : more}`;

/**
 * Where a problem of a dataset is, in words: table, row (with its codes), cell and field.
 * @param {Place | null} place
 * @param {string} path the problem's path in the file, used when there is no place
 */
export function placeText(place, path) {
  if (!place) return path === '(root)' ? 'Het hele bestand' : `Onderdeel ${path}`;
  const parts = [];
  let table = `Tabel ${place.table}`;
  if (place.tableTitle) table += ` ‘${place.tableTitle}’`;
  if (place.tableId) table += ` (${place.tableId})`;
  parts.push(table);
  if (place.row !== null) {
    const codes = place.rowCodes.map((c) => `${c.dimension}: ${c.title ? `${c.title} (${c.code})` : c.code}`);
    parts.push(`rij ${place.row}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`);
  }
  if (place.cell !== null) {
    const name = place.cellTitle ? `${place.cellTitle} (${place.cell})` : place.cell;
    if (place.cellKind === 'measure') parts.push(`cel ${name}`);
    else if (place.cellKind === 'dimension') parts.push(`dimensie ${name}`);
    else parts.push(`veld ${name}`);
  }
  if (place.field !== null) parts.push(`onderdeel ${place.field}`);
  return parts.join(', ');
}

/** The line and column of a JSON syntax error in the service's message, when it names them. @param {string} message */
export function jsonErrorText(message) {
  const json = /line (\d+), column (\d+)/.exec(message);
  return json ? `De JSON klopt niet op regel ${json[1]}, kolom ${json[2]}.` : null;
}

/** A figure of a changed cell as shown: an empty cell as "(leeg)". @param {string} text */
export const shownFigure = (text) => (text === '' ? '(leeg)' : text);

/** @type {Readonly<Record<string, (from: string) => string>>} */
const KIND_TEXT = {
  value: () => 'gecorrigeerd',
  moved: (from) => `stond eerder bij ${from}`,
  'moved-value': (from) => `stond eerder bij ${from} en is gecorrigeerd`,
};

/**
 * What happened to a changed cell, in words; an unknown kind as it is.
 * @param {string} kind
 * @param {string | null | undefined} movedFrom the row label it stood at before, when it moved
 */
export function changeText(kind, movedFrom) {
  return KIND_TEXT[kind]?.(movedFrom ?? '?') ?? kind;
}

/** @type {Readonly<Record<string, string>>} */
const ARTIFACT_TITLES = {
  'publicatie.pdf': 'Publicatie (PDF)',
  'tabellenbijlage.xlsx': 'Tabellenbijlage (Excel)',
  'erratum.pdf': 'Erratum (PDF)',
};

/**
 * The line under a download link: kind, size and (when known) when it was made.
 * @param {{ name: string, contentType: string, size: number }} artifact
 * @param {string | null | undefined} createdAt
 */
export function artifactMeta(artifact, createdAt) {
  return [
    ARTIFACT_TITLES[artifact.name] ?? artifact.contentType,
    formatSize(artifact.size),
    createdAt ? `gemaakt op ${formatDateTime(createdAt)}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** @type {Readonly<Record<string, string>>} */
const EDITION_STATES = {
  rendering: 'wordt gemaakt',
  scheduled: 'goedgekeurd, nog niet openbaar',
  released: 'openbaar',
  withdrawn: 'ingetrokken',
};

/**
 * Where an edition stands, and whether it is the current one.
 * @param {{ state: string, current?: boolean }} edition
 */
export function editionStateName(edition) {
  return `${edition.current ? 'Huidige editie · ' : ''}${EDITION_STATES[edition.state] ?? edition.state}`;
}

/**
 * The embargo of an edition in words: still under embargo at `now`, or public since.
 * @param {string} releaseAt
 * @param {number} now milliseconds since 1970
 * @returns {{ embargo: boolean, text: string }}
 */
export function releaseState(releaseAt, now) {
  return Date.parse(releaseAt) > now
    ? { embargo: true, text: ` · onder embargo tot ${formatDateTime(releaseAt)}` }
    : { embargo: false, text: ` · openbaar sinds ${formatDateTime(releaseAt)}` };
}

/**
 * The summary line of a publication in the list: editions, the current one and when it was made.
 * @param {import('./page-types.js').PublicationSummary} p
 */
export function publicationSummary(p) {
  const latest = p.latest;
  const latestText = !latest
    ? 'nog geen editie openbaar'
    : latest.correctedOn
      ? `huidige: editie ${latest.edition}, correctie van ${formatDay(latest.correctedOn)}`
      : `huidige: editie ${latest.edition}`;
  return `${plural(p.editions, 'editie', 'edities')}, ${latestText}${latest?.createdAt ? `, gemaakt op ${formatDateTime(latest.createdAt)}` : ''}`;
}
