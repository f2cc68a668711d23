import type { CanvasElement, Content } from 'pdfmake/interfaces.js';
import { textWidthInPoints } from './hyphenate.js';
import { COLORS, CONTENT_WIDTH } from './style.js';

/** Size of the labels in the boxes, and their line height. */
const LABEL_SIZE = 8;
const LINE_HEIGHT = LABEL_SIZE * 1.2;
/** Box height, room between two rows of boxes (the arrows' length), room between two boxes side by side. */
const BOX_HEIGHT = 30;
const ROW_GAP = 22;
const COLUMN_GAP = 20;
const ARROW_HEAD = 4;

interface Box {
  readonly label: string;
  readonly column: 0 | 1 | 2;
  readonly row: number;
  /** The steps of the report itself (melding, veiligheidsbeoordeling) are filled dark. */
  readonly strong?: boolean;
}

const COLUMN_WIDTH = (CONTENT_WIDTH - 2 * COLUMN_GAP) / 3;

function left(box: Box): number {
  return box.column * (COLUMN_WIDTH + COLUMN_GAP);
}
function top(box: Box): number {
  return box.row * (BOX_HEIGHT + ROW_GAP);
}
function centreX(box: Box): number {
  return left(box) + COLUMN_WIDTH / 2;
}
function middleY(box: Box): number {
  return top(box) + BOX_HEIGHT / 2;
}

type Point = readonly [number, number];

/** A connector through `points`, with an arrow head at the last one. */
function arrow(points: readonly Point[]): CanvasElement[] {
  const [x, y] = points[points.length - 1] ?? [0, 0];
  const [px, py] = points[points.length - 2] ?? [x, y - 1];
  const length = Math.hypot(x - px, y - py) || 1;
  const [dx, dy] = [(x - px) / length, (y - py) / length];
  const base: Point = [x - dx * ARROW_HEAD * 1.4, y - dy * ARROW_HEAD * 1.4];
  const line: CanvasElement = {
    type: 'polyline',
    points: [...points.slice(0, -1), base].map(([x1, y1]) => ({ x: x1, y: y1 })),
    lineWidth: 0.9,
    lineColor: COLORS.accent,
  };
  const head: CanvasElement = {
    type: 'polyline',
    points: [
      { x: base[0] - dy * ARROW_HEAD, y: base[1] + dx * ARROW_HEAD },
      { x: base[0] + dy * ARROW_HEAD, y: base[1] - dx * ARROW_HEAD },
      { x, y },
    ],
    closePath: true,
    color: COLORS.accent,
    lineColor: COLORS.accent,
  };
  return [line, head];
}

/** The label of a box, centred in it: one line, or two when it does not fit on one. `below` is the figure's height: the label is placed after the canvas, on top of it. */
function label(box: Box, below: number): Content {
  const lines = textWidthInPoints(box.label, LABEL_SIZE) * (box.strong ? 1.06 : 1) > COLUMN_WIDTH - 10 ? 2 : 1;
  return {
    relativePosition: { x: left(box) + 4, y: top(box) - below + (BOX_HEIGHT - lines * LINE_HEIGHT) / 2 },
    columns: [
      {
        width: COLUMN_WIDTH - 8,
        text: box.label,
        alignment: 'center',
        fontSize: LABEL_SIZE,
        lineHeight: 1.2,
        bold: box.strong ?? false,
        color: box.strong ? '#ffffff' : COLORS.heading,
      },
    ],
  };
}

/**
 * The general process of Veilig Thuis, after the Handelingsprotocol, as a connected flow: an advice
 * can become a report (melding); every report gets a safety assessment, which leads to a transfer,
 * to Voorwaarden en Vervolg or to an investigation (onderzoek); an investigation ends in Voorwaarden
 * en Vervolg or a transfer; Voorwaarden en Vervolg ends in a transfer; after every transfer Veilig
 * Thuis monitors. Every arrow runs from a box to a box. Drawn as one canvas with the labels placed
 * on it, with a source line under it.
 */
export function buildWorkProcessFigure(alt: string): Content {
  const advies: Box = { label: 'Advies en ondersteuning', column: 0, row: 0 };
  const melding: Box = { label: 'Melding', column: 1, row: 0, strong: true };
  const beoordeling: Box = { label: 'Veiligheidsbeoordeling', column: 1, row: 1, strong: true };
  const overdrachtNaBeoordeling: Box = { label: 'Overdracht na veiligheidsbeoordeling', column: 0, row: 2 };
  const vervolg: Box = { label: 'Voorwaarden en Vervolg', column: 1, row: 2 };
  const onderzoek: Box = { label: 'Onderzoek', column: 2, row: 2 };
  const overdracht: Box = { label: 'Overdracht', column: 1, row: 3 };
  const monitoren: Box = { label: 'Monitoren', column: 1, row: 4 };
  const boxes = [advies, melding, beoordeling, overdrachtNaBeoordeling, vervolg, onderzoek, overdracht, monitoren];
  const height = top(monitoren) + BOX_HEIGHT;
  const bottom = (b: Box) => top(b) + BOX_HEIGHT;
  const right = (b: Box) => left(b) + COLUMN_WIDTH;
  const bus = top(vervolg) - ROW_GAP / 2;

  const canvas: CanvasElement[] = [
    ...boxes.map(
      (b): CanvasElement => ({
        type: 'rect',
        x: left(b),
        y: top(b),
        w: COLUMN_WIDTH,
        h: BOX_HEIGHT,
        r: 2,
        lineWidth: 0.8,
        lineColor: COLORS.heading,
        color: b.strong ? COLORS.heading : COLORS.headerFill,
      }),
    ),
    // Advies → melding.
    ...arrow([
      [right(advies), middleY(advies)],
      [left(melding), middleY(melding)],
    ]),
    // Melding → veiligheidsbeoordeling.
    ...arrow([
      [centreX(melding), bottom(melding)],
      [centreX(beoordeling), top(beoordeling)],
    ]),
    // Veiligheidsbeoordeling → overdracht, Voorwaarden en Vervolg, onderzoek (one line that branches).
    ...arrow([
      [centreX(beoordeling), bottom(beoordeling)],
      [centreX(vervolg), top(vervolg)],
    ]),
    ...arrow([
      [centreX(beoordeling), bus],
      [centreX(overdrachtNaBeoordeling), bus],
      [centreX(overdrachtNaBeoordeling), top(overdrachtNaBeoordeling)],
    ]),
    ...arrow([
      [centreX(beoordeling), bus],
      [centreX(onderzoek), bus],
      [centreX(onderzoek), top(onderzoek)],
    ]),
    // Onderzoek → Voorwaarden en Vervolg.
    ...arrow([
      [left(onderzoek), middleY(onderzoek)],
      [right(vervolg), middleY(vervolg)],
    ]),
    // Voorwaarden en Vervolg → overdracht; onderzoek → overdracht.
    ...arrow([
      [centreX(vervolg), bottom(vervolg)],
      [centreX(overdracht), top(overdracht)],
    ]),
    ...arrow([
      [centreX(onderzoek), bottom(onderzoek)],
      [centreX(onderzoek), middleY(overdracht)],
      [right(overdracht), middleY(overdracht)],
    ]),
    // Overdracht → monitoren; overdracht na veiligheidsbeoordeling → monitoren.
    ...arrow([
      [centreX(overdracht), bottom(overdracht)],
      [centreX(monitoren), top(monitoren)],
    ]),
    ...arrow([
      [centreX(overdrachtNaBeoordeling), bottom(overdrachtNaBeoordeling)],
      [centreX(overdrachtNaBeoordeling), middleY(monitoren)],
      [left(monitoren), middleY(monitoren)],
    ]),
  ];

  return {
    stack: [
      // The canvas takes the figure's height; the labels are detached (relativePosition) and drawn over it.
      // Canvas and labels are the Figure (read as its alt text); the source line is a paragraph of its own.
      { stack: [{ canvas }, ...boxes.map((b) => label(b, height))], pdfTag: { role: 'Figure', alt } },
      { text: 'Bron: Handelingsprotocol Veilig Thuis.', style: 'tableSource', margin: [0, 6, 0, 0] },
    ],
    unbreakable: true,
    margin: [0, 4, 0, 12],
  };
}
