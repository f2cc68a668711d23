// The period texts on the editor's page: the edition's texts file (teksten.md, docs/editors.md)
// written in a text field or loaded from a file, sent with the render as the field "texts". The
// service checks it: a section still marked as copied, a text of another period or a construct a
// period text may not use comes back as an error on this field, with section and line.

import { $, h } from './dom.js';

/**
 * The texts file of a dataset's own period texts (publication.texts), to start from.
 * @param {{ publication?: { texts?: Record<string, unknown>, period?: { key?: string } } } | null | undefined} dataset
 */
export function textsFileOf(dataset) {
  const publication = dataset?.publication ?? {};
  const sections = Object.entries(publication.texts ?? {}).map(([name, text]) => `# ${name}\n\n${String(text).trim()}\n`);
  return [`---\nperiode: ${publication.period?.key ?? ''}\n---\n`, ...sections].join('\n');
}

/**
 * Adds the texts block to the render form, before its error summary. `currentDataset()` gives the
 * dataset chosen in step 1, parsed, or null. Returns value(): the texts file to send, or undefined
 * when the field is empty (then the dataset's own texts are used), and reveal().
 * @param {() => Parameters<typeof textsFileOf>[0] | null} currentDataset
 * @returns {import('./state.js').PeriodTexts}
 */
export function setupTexts(currentDataset) {
  const area = h('textarea', {
    id: 'periode-teksten',
    name: 'teksten',
    rows: 14,
    spellcheck: 'true',
    'aria-describedby': 'periode-teksten-uitleg periode-teksten-fout',
  });
  const file = h('input', { type: 'file', id: 'periode-teksten-bestand', accept: '.md,.txt,text/markdown,text/plain' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const begin = h(
    'button',
    { type: 'button', class: 'button button-secondary', id: 'periode-teksten-begin' },
    'Begin met de teksten uit de dataset',
  );
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    area.value = await chosen.text();
    status.textContent = `${chosen.name} staat in het tekstveld.`;
  });
  begin.addEventListener('click', () => {
    const dataset = currentDataset();
    if (!dataset) {
      status.textContent = 'Kies eerst bij stap 1 een geldige dataset.';
      return;
    }
    area.value = textsFileOf(dataset);
    status.textContent = 'De teksten uit de dataset staan in het tekstveld. Pas ze aan voor deze periode.';
  });
  const block = h(
    'details',
    { id: 'teksten' },
    h('summary', { id: 'teksten-kop' }, 'Teksten van deze periode'),
    h(
      'p',
      { class: 'hint', id: 'periode-teksten-uitleg' },
      'Het tekstenbestand van deze editie: bovenaan “periode: …” tussen twee regels “---”, daarna per tekst een kop “# naam” ' +
        '(inleiding, kwaliteit-periode, kwaliteit). Cijfers schrijft u niet over maar laat u invullen, bijvoorbeeld ' +
        '{{duizend "kerncijfers" "OntvangenMeldingen"}} of {{percent "meldingen-melder" "OntvangenMeldingen" Melder="B001"}}; ' +
        '{{period}} geeft de periode. Laat u het veld leeg, dan gelden de teksten in de dataset.',
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'periode-teksten' }, 'Teksten (Markdown)'),
      h('p', { class: 'field-error', id: 'periode-teksten-fout', hidden: true }),
      area,
    ),
    h('div', { class: 'field' }, h('label', { for: 'periode-teksten-bestand' }, 'Of laad een tekstenbestand (teksten.md)'), file),
    begin,
    status,
  );
  $('maak-fouten').before(block);
  return {
    value: () => (area.value.trim() === '' ? undefined : area.value),
    /** Opens the block, so that an error on the field can be read and mended. */
    reveal: () => {
      block.open = true;
    },
  };
}
