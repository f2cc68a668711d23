import type { CanvasElement, CanvasPolyline, CanvasRect } from 'pdfmake/interfaces.js';
import { describe, expect, it } from 'vitest';
import { buildWorkProcessFigure } from '../../../src/render/pdf/figures.js';

type Point = { x: number; y: number };

function parts() {
  const figure = buildWorkProcessFigure('Schema') as unknown as { stack: Record<string, unknown>[] };
  // The Figure (canvas and labels) is one node of the stack; the source line stands beside it.
  const drawn = figure.stack.flatMap((c) => (Array.isArray(c.stack) ? (c.stack as Record<string, unknown>[]) : [c]));
  const canvas = (drawn.find((c) => 'canvas' in c)?.canvas ?? []) as CanvasElement[];
  const rects = canvas.filter((c): c is CanvasRect => c.type === 'rect');
  const polylines = canvas.filter((c): c is CanvasPolyline => c.type === 'polyline');
  const labels = drawn.filter((c) => 'relativePosition' in c).map((c) => (c.columns as { text: string }[])[0]?.text);
  const texts = drawn.filter((c) => typeof c.text === 'string').map((c) => c.text);
  return { rects, lines: polylines.filter((p) => !p.closePath), heads: polylines.filter((p) => p.closePath), labels, texts };
}

const near = (a: number, b: number) => Math.abs(a - b) < 0.01;

function onEdge(p: Point, r: CanvasRect): boolean {
  const inX = p.x >= r.x - 0.01 && p.x <= r.x + r.w + 0.01;
  const inY = p.y >= r.y - 0.01 && p.y <= r.y + r.h + 0.01;
  return (inX && (near(p.y, r.y) || near(p.y, r.y + r.h))) || (inY && (near(p.x, r.x) || near(p.x, r.x + r.w)));
}

function onSegment(p: Point, a: Point, b: Point): boolean {
  const cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
  const within =
    p.x >= Math.min(a.x, b.x) - 0.01 &&
    p.x <= Math.max(a.x, b.x) + 0.01 &&
    p.y >= Math.min(a.y, b.y) - 0.01 &&
    p.y <= Math.max(a.y, b.y) + 0.01;
  return Math.abs(cross) < 0.01 && within;
}

describe('the process figure "Algemeen proces Veilig Thuis"', () => {
  const { rects, lines, heads, labels, texts } = parts();

  it('has a box with a label for each of the eight activities, and a source line', () => {
    expect(rects).toHaveLength(8);
    expect(labels).toEqual([
      'Advies en ondersteuning',
      'Melding',
      'Veiligheidsbeoordeling',
      'Overdracht na veiligheidsbeoordeling',
      'Voorwaarden en Vervolg',
      'Onderzoek',
      'Overdracht',
      'Monitoren',
    ]);
    expect(texts).toContain('Bron: Handelingsprotocol Veilig Thuis.');
  });

  it('draws every arrow from a box (or a line that leaves one) to a box', () => {
    expect(lines.length).toBeGreaterThanOrEqual(9);
    expect(heads).toHaveLength(lines.length);
    lines.forEach((line, i) => {
      const start = line.points[0] as Point;
      const fromBox = rects.some((r) => onEdge(start, r));
      const fromLine = lines.some(
        (other, j) => j !== i && other.points.slice(1).some((p, k) => onSegment(start, other.points[k] as Point, p)),
      );
      expect(fromBox || fromLine, `arrow ${i} starts at ${start.x},${start.y}`).toBe(true);
      const tip = heads[i]?.points[2] as Point;
      expect(
        rects.some((r) => onEdge(tip, r)),
        `arrow ${i} ends at ${tip.x},${tip.y}`,
      ).toBe(true);
    });
    // Every box is reached by an arrow or leaves by one.
    for (const r of rects) {
      const touched = lines.some((l) => onEdge(l.points[0] as Point, r)) || heads.some((h) => onEdge(h.points[2] as Point, r));
      expect(touched).toBe(true);
    }
  });
});
