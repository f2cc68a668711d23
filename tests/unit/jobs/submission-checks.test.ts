import { describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../../src/model/dataset.js';
import { checkSubmission, validateDatasetText } from '../../../src/jobs/submission-checks.js';
import { EXAMPLES, readExampleJson } from '../../helpers/examples.js';

describe('the templates the checks use', () => {
  it("takes the project's templates when none are given, also after a submission checked with others", () => {
    const text = JSON.stringify(readExampleJson(EXAMPLES.asPublished));
    const dataset = parseDatasetText(text, 'the dataset');
    // The first check of the process uses other template files (as a correction with kept templates does):
    // here none at all, so the dataset's template is unknown.
    expect(() => checkSubmission({ dataset, acceptWarnings: false, actor: 'test', now: new Date(), templates: {} })).toThrow(
      /names the template "beleidsinformatie", which does not exist/,
    );
    // Later checks without templates of their own must use the project's, not the ones seen first.
    const report = validateDatasetText(text);
    expect(report.valid).toBe(true);
    expect(report.checks?.errors).toBe(0);
    expect(checkSubmission({ dataset, acceptWarnings: true, actor: 'test', now: new Date() }).findings).toBeDefined();
  });
});
