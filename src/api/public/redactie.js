// The editor's page. Everything it knows and changes goes through the API routes (/api/...), so
// every check the API makes holds here too; the page only asks and shows. No inline script or
// style anywhere: the page works under `script-src 'self'; style-src 'self'`. Its parts:
//   sign-in.js      signing in and out, the session
//   dataset-step.js step 1, the dataset checked (bevindingen.js: the checks' findings;
//                   import.js and new-period.js: the blocks that make a dataset)
//   render-step.js  step 2, the render form (texts.js: the period texts)
//   job-step.js     step 3, the render job followed
//   publications.js the publications and their editions
// with the pure logic in format.js, errors.js, job-state.js and render-request.js, the API calls
// in api.js and the building of elements in dom.js. redactie-review.js is the draft view.

import { onSessionEnded } from './api.js';
import { checkDataset, useDataset } from './dataset-step.js';
import { $, input } from './dom.js';
import { setupImport } from './import.js';
import { setupNewPeriod } from './new-period.js';
import { loadPublications } from './publications.js';
import { setupRenderStep, updateRenderForm } from './render-step.js';
import { loadSession, setupSignIn, showSignIn } from './sign-in.js';
import { pageState } from './state.js';
import { setupTexts } from './texts.js';

function start() {
  onSessionEnded((message) => showSignIn(message));
  setupSignIn();
  input('dataset-bestand').addEventListener('change', () => void checkDataset());
  setupImport(useDataset);
  setupNewPeriod();
  pageState.periodTexts = setupTexts(() => (pageState.chosen ? JSON.parse(pageState.chosen.text) : null));
  setupRenderStep();
  $('publicaties-vernieuwen').addEventListener('click', () => void loadPublications());
  document.addEventListener('record:changed', (event) => {
    const detail = event instanceof CustomEvent ? event.detail : undefined;
    void loadPublications(detail?.publicationId);
  });
  updateRenderForm();
  void loadSession();
}

start();
