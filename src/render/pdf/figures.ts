import type { Content } from 'pdfmake/interfaces.js';
import { COLORS, CONTENT_WIDTH } from './style.js';

function box(text: string, strong = false): Content {
  return {
    table: {
      widths: ['*'],
      body: [[{ text, alignment: 'center', fontSize: 8, bold: strong, color: strong ? '#ffffff' : COLORS.heading, margin: [2, 5, 2, 5] }]],
    },
    layout: {
      hLineWidth: () => 0.8,
      vLineWidth: () => 0.8,
      hLineColor: () => COLORS.heading,
      vLineColor: () => COLORS.heading,
      fillColor: () => (strong ? COLORS.heading : COLORS.headerFill),
    },
  };
}

/** A downward arrow centred at x (relative to the figure), drawn as vector lines. */
function arrows(xs: readonly number[], height = 14): Content {
  return {
    canvas: xs.flatMap((x) => [
      { type: 'line' as const, x1: x, y1: 0, x2: x, y2: height - 4, lineWidth: 1, lineColor: COLORS.accent },
      {
        type: 'polyline' as const,
        points: [
          { x: x - 3, y: height - 5 },
          { x: x + 3, y: height - 5 },
          { x, y: height },
        ],
        closePath: true,
        color: COLORS.accent,
      },
    ]),
    margin: [0, 2, 0, 2],
  };
}

/**
 * The general process of Veilig Thuis, after the Handelingsprotocol: advice and reports, the safety
 * assessment, then transfer, Voorwaarden en Vervolg or Onderzoek, transfer, and monitoring.
 */
export function buildWorkProcessFigure(alt: string): Content {
  const w = CONTENT_WIDTH;
  const third = (w - 20) / 3;
  const centre = w / 2;
  const thirds = [third / 2, third + 10 + third / 2, 2 * third + 20 + third / 2];
  return {
    stack: [
      { columns: [box('Advies en ondersteuning'), box('Melding', true)], columnGap: 10 },
      arrows([w * 0.75]),
      {
        columns: [
          { width: '*', text: '' },
          { width: (w - 10) / 2, stack: [box('Veiligheidsbeoordeling', true)] },
        ],
        columnGap: 10,
      },
      arrows(thirds),
      {
        columns: [box('Overdracht na veiligheidsbeoordeling'), box('Voorwaarden en Vervolg'), box('Onderzoek')],
        columnGap: 10,
      },
      arrows(thirds),
      {
        columns: [
          { width: '*', text: '' },
          { width: third, stack: [box('Overdracht')] },
          { width: '*', text: '' },
        ],
        columnGap: 10,
      },
      arrows([centre]),
      {
        columns: [
          { width: '*', text: '' },
          { width: third, stack: [box('Monitoren')] },
          { width: '*', text: '' },
        ],
        columnGap: 10,
      },
    ],
    unbreakable: true,
    margin: [0, 4, 0, 12],
    pdfTag: { role: 'Figure', alt },
  };
}
