/** The symbols and notations of the Verklaring van tekens, as in CBS publications. */
export const SYMBOLS: readonly (readonly [string, string])[] = [
  ['Niets (blanco)', 'Een cijfer kan op logische gronden niet voorkomen'],
  ['.', 'Het cijfer is onbekend, onvoldoende betrouwbaar of geheim'],
  ['*', 'Voorlopige cijfers'],
  ['**', 'Nader voorlopige cijfers'],
  ['2019–2020', '2019 tot en met 2020'],
  ['2019/2020', 'Het gemiddelde over de jaren 2019 tot en met 2020'],
  ["2019/'20", 'Oogstjaar, boekjaar, schooljaar enz., beginnend in 2019 en eindigend in 2020'],
  ["2017/'18–2019/'20", "Oogstjaar, boekjaar, enz., 2017/'18 tot en met 2019/'20"],
];
