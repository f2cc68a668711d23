import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { toDatasetJsonSchema } from './model/dataset-schema.js';
import { PROJECT_ROOT } from './resources.js';

/** Writes docs/dataset.schema.json, the JSON Schema of the dataset format, for other tools. */
const file = path.join(PROJECT_ROOT, 'docs', 'dataset.schema.json');
writeFileSync(file, `${JSON.stringify(toDatasetJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file}`);
