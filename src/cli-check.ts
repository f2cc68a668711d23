import { parseArgs } from 'node:util';
import { type CheckReport, checkWithTemplates, formatReport } from './checks/index.js';
import { readDatasetFile } from './cli-dataset.js';
import { runCli } from './cli-run.js';
import { AppError } from './errors.js';
import { loadTemplates } from './resources.js';

const USAGE = `Usage: npm run check -- --dataset <file> [--previous <file>] [--compare <file>] [--json]

Confronts the dataset with the rules of its template (templates/<template>/rules.yaml) and the
built-in checks; see docs/checks.md.
  --previous <file>  the dataset of the previous period: flags large changes and codes that came or went
  --compare <file>   the edition this dataset corrects: refuses a correction without changes or with other metadata
  --json             prints the report as JSON (rules with items/passes/fails, findings with rule id,
                     severity, table, codes, measure, values and message)
Exits 1 when a check finds an error, 0 otherwise (also with warnings).`;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dataset: { type: 'string' },
      previous: { type: 'string' },
      compare: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.dataset) throw new AppError('USAGE', `--dataset is required\n\n${USAGE}`);
  const dataset = await readDatasetFile(values.dataset);
  const report: CheckReport = checkWithTemplates(dataset, loadTemplates(), {
    ...(values.previous ? { previous: await readDatasetFile(values.previous) } : {}),
    ...(values.compare ? { compare: await readDatasetFile(values.compare) } : {}),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.errors > 0 ? 1 : 0;
}

runCli(main, USAGE, 2);
