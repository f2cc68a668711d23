// A new period on the editor's page: from the dataset of the last period and the new period's
// code, POST /api/datasets/new-period makes the skeleton (as `npm run new-period`); the page offers
// the dataset file and the texts file for download, with what is left to do. Nothing is stored.

import { api } from './api.js';
import { addDatasetBlock } from './dataset-block.js';
import { fill, h, setStatus } from './dom.js';

/** Adds the new-period block under the dataset step. */
export function setupNewPeriod() {
  const source = h('input', { type: 'file', id: 'periode-bron', accept: '.json,application/json' });
  const code = h('input', { type: 'text', id: 'periode-code', autocomplete: 'off', 'aria-describedby': 'periode-code-uitleg' });
  const button = h('button', { type: 'submit', class: 'button button-secondary' }, 'Nieuwe periode maken');
  const form = h(
    'form',
    { id: 'periode-formulier', novalidate: true },
    h(
      'p',
      { class: 'hint' },
      'De service maakt uit de dataset van de vorige periode een lege dataset voor de nieuwe periode (alle tabellen zonder cijfers) ' +
        'en een tekstenbestand met de teksten van de vorige periode, gemarkeerd om na te kijken.',
    ),
    h('div', { class: 'field' }, h('label', { for: 'periode-bron' }, 'Dataset van de vorige periode (JSON)'), source),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'periode-code' }, 'Code van de nieuwe periode'),
      h('p', { class: 'hint', id: 'periode-code-uitleg' }, 'Bijvoorbeeld 2019HJ02 voor het 2e halfjaar van 2019.'),
      code,
    ),
    button,
  );
  addDatasetBlock({
    id: 'nieuwe-periode',
    summary: 'Een nieuwe periode beginnen vanuit de vorige',
    form,
    button,
    run: async ({ status, result }) => {
      const file = source.files?.[0];
      if (!file || !code.value.trim()) {
        setStatus(status, 'Kies de dataset van de vorige periode en vul de code van de nieuwe periode in.', 'error');
        return;
      }
      /** @type {unknown} */
      let dataset;
      try {
        dataset = JSON.parse(await file.text());
      } catch {
        setStatus(status, `${file.name} is geen leesbare JSON.`, 'error');
        return;
      }
      setStatus(status, 'Bezig met maken…', 'busy');
      /** @type {{ data: { publicationId: string, dataset: string, fileName: string, texts: string, textsFileName: string, todo: string[] } }} */
      const { data } = await api('/api/datasets/new-period', { method: 'POST', body: { dataset, period: code.value.trim() } });
      setStatus(status, `Gemaakt: ${data.publicationId}. Download beide bestanden en werk ze bij.`, 'ok');
      /** @type {(text: string, name: string, type: string) => HTMLAnchorElement} */
      const link = (text, name, type) =>
        h('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name }, `${name} downloaden`);
      fill(
        result,
        h('p', {}, link(data.dataset, data.fileName, 'application/json'), ' · ', link(data.texts, data.textsFileName, 'text/markdown')),
        h('p', {}, 'Nog te doen voordat de publicatie gemaakt kan worden:'),
        h(
          'ul',
          {},
          data.todo.map((t) => h('li', {}, t)),
        ),
      );
    },
  });
}
