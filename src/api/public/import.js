// Importing on the editor's page: a StatLine open data download (ZIP of the JSON files, v4 or v3)
// or a CSV with its mapping becomes a dataset through POST /api/datasets/import; the page then
// offers it for download and as the dataset of step 1. The service does all checking.

import { api } from './api.js';
import { addDatasetBlock } from './dataset-block.js';
import { fill, h, setStatus } from './dom.js';

/** The file's bytes as base64, in slices so a large file does not overflow the call stack. @param {Blob} file */
async function toBase64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Adds the import block under the dataset step; `useDataset(name, text)` puts an imported dataset into step 1.
 * @param {(name: string, text: string) => void} useDataset
 */
export function setupImport(useDataset) {
  const source = h('input', {
    type: 'file',
    id: 'import-bron',
    accept: '.zip,.csv,application/zip,text/csv',
    'aria-describedby': 'import-uitleg',
  });
  const mapping = h('input', { type: 'file', id: 'import-koppeling', accept: '.json,application/json' });
  const date = h('input', { type: 'date', id: 'import-datum' });
  const button = h('button', { type: 'submit', class: 'button button-secondary' }, 'Importeren');
  const form = h(
    'form',
    { id: 'import-formulier', novalidate: true },
    h(
      'p',
      { class: 'hint', id: 'import-uitleg' },
      'Kies een StatLine-download (ZIP met de JSON-bestanden van CBS open data v4 of v3) of een CSV-bestand met een koppelbestand ' +
        '(JSON: welke kolommen dimensies en onderwerpen zijn, eenheden en decimalen). De service maakt er een gecontroleerde dataset van.',
    ),
    h('div', { class: 'field' }, h('label', { for: 'import-bron' }, 'StatLine-download (ZIP) of CSV'), source),
    h('div', { class: 'field' }, h('label', { for: 'import-koppeling' }, 'Koppelbestand (alleen bij CSV)'), mapping),
    h('div', { class: 'field' }, h('label', { for: 'import-datum' }, 'Publicatiedatum (als de bestanden die niet geven)'), date),
    button,
  );
  addDatasetBlock({
    id: 'import',
    summary: 'Nog geen dataset? Importeer een StatLine-tabel of CSV',
    form,
    button,
    run: async ({ status, result }) => {
      const file = source.files?.[0];
      if (!file) {
        setStatus(status, 'Kies eerst een bestand.', 'error');
        return;
      }
      const csv = /\.(csv|txt)$/i.test(file.name);
      /** @type {{ kind: string, fileName: string, file: string, publicationDate?: string, mapping?: unknown }} */
      const body = { kind: csv ? 'csv' : 'statline', fileName: file.name, file: await toBase64(file) };
      if (date.value) body.publicationDate = date.value;
      if (csv) {
        const map = mapping.files?.[0];
        if (!map) {
          setStatus(status, 'Een CSV-bestand heeft een koppelbestand nodig.', 'error');
          return;
        }
        try {
          body.mapping = JSON.parse(await map.text());
        } catch {
          setStatus(status, `Het koppelbestand ${map.name} is geen leesbare JSON.`, 'error');
          return;
        }
      }
      setStatus(status, `Bezig met importeren van ${file.name}…`, 'busy');
      /** @type {{ data: { tableId: string, figures: number, dataset: string, fileName: string, notes: string[] } }} */
      const { data } = await api('/api/datasets/import', { method: 'POST', body });
      setStatus(status, `Geïmporteerd: tabel ${data.tableId}, ${data.figures} cijfers.`, 'ok');
      const url = URL.createObjectURL(new Blob([data.dataset], { type: 'application/json' }));
      const use = h('button', { type: 'button', class: 'button' }, 'Deze dataset gebruiken');
      use.addEventListener('click', () => useDataset(data.fileName, data.dataset));
      fill(
        result,
        data.notes.length > 0
          ? h(
              'ul',
              { class: 'import-notes' },
              data.notes.map((n) => h('li', {}, n)),
            )
          : null,
        h('p', {}, h('a', { href: url, download: data.fileName }, `Dataset downloaden (${data.fileName})`), ' ', use),
      );
    },
  });
}
