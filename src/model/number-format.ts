import type { Cell } from './dataset.js';

/** The no-break space that separates thousands ("53 080"); the fonts have no narrow one. */
export const THOUSANDS_SEPARATOR = '\u00a0';

const formatters = new Map<number, Intl.NumberFormat>();

function formatterFor(decimals: number): Intl.NumberFormat {
  let formatter = formatters.get(decimals);
  if (!formatter) {
    formatter = new Intl.NumberFormat('nl-NL', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      useGrouping: true,
    });
    formatters.set(decimals, formatter);
  }
  return formatter;
}

/**
 * Formats a number the Dutch statistical way: thousands separated by a no-break space, decimal
 * comma, minus sign as a hyphen-minus. Thousands are grouped from 1 000 on (CBS groups four-digit
 * numbers too: "1 240").
 */
export function formatNumber(value: number, decimals = 0): string {
  const parts = formatterFor(decimals).formatToParts(value);
  let out = '';
  for (const part of parts) {
    if (part.type === 'group') out += THOUSANDS_SEPARATOR;
    else if (part.type === 'minusSign') out += '-';
    else out += part.value;
  }
  return out;
}

/** Formats a cell: a number with its decimals, or the symbol itself ("." or ""). */
export function formatCell(cell: Cell, decimals: number): string {
  return cell.kind === 'value' ? formatNumber(cell.value, decimals) : cell.symbol;
}

/** The mark after a period in a title: "*" voorlopig, "**" nader voorlopig, nothing when definitief. */
export function statusMark(status: 'voorlopig' | 'nader voorlopig' | 'definitief' | undefined): string {
  if (status === 'voorlopig') return '*';
  if (status === 'nader voorlopig') return '**';
  return '';
}

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** A date (YYYY-MM-DD) written out in Dutch: "28 april 2020". */
export function formatDutchDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const name = MONTHS[(month ?? 1) - 1];
  return `${day} ${name} ${year}`;
}

/**
 * A period as it follows "over" in a sentence: "het 1e halfjaar van 2019", but "2023" for a year
 * (not "over het 2023").
 */
export function periodPhrase(periodTitle: string): string {
  return /^\d{4}\*{0,2}$/.test(periodTitle.trim()) ? periodTitle : `het ${periodTitle}`;
}
