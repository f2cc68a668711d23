import { parseArgs } from 'node:util';
import { cliActor, createAuditLog, createTokenStore, isRole, ROLES } from './api/index.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/open-database.js';
import { runCli } from './cli-run.js';
import { AppError } from './errors.js';

// `npm run token -- …`: API tokens of the service, in its record (DATABASE_URL, or the embedded
// database in STORAGE_DIR). Only the tokens' hashes are stored; a new token is printed once. The
// service notices new and revoked tokens at once.

const USAGE = `Usage: npm run token -- create --role <${ROLES.join('|')}> --name "<who>"
       npm run token -- list [--json]
       npm run token -- revoke <token id>

Tokens live (as sha256 hashes) in the record: the PostgreSQL server of $DATABASE_URL, or
without it the embedded database in $STORAGE_DIR/pglite (default ./.storage; stop \`npm start\` first).
Roles: reader lists and downloads released editions; editor also uploads, renders and sees
embargoed editions; admin can do all an editor can and manage tokens (also over the API).
While no token exists, the service runs open on 127.0.0.1 only; the first token ends that.`;

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfig(process.env);
  const db = await openDatabase(config);
  try {
    await run(command, rest, values, createTokenStore(db), createAuditLog(db), config.databaseUrl ? 'the database' : config.storageDir);
  } finally {
    await db.close();
  }
}

async function run(
  command: string,
  rest: readonly string[],
  values: { role?: string; name?: string; json?: boolean },
  tokens: ReturnType<typeof createTokenStore>,
  audit: ReturnType<typeof createAuditLog>,
  storageDir: string,
): Promise<void> {
  const actor = cliActor();

  switch (command) {
    case 'create': {
      if (rest.length > 0) throw new AppError('USAGE', `create takes no arguments besides --role and --name\n\n${USAGE}`);
      if (!isRole(values.role)) throw new AppError('USAGE', `--role must be one of ${ROLES.join(', ')}\n\n${USAGE}`);
      const wasOpen = (await tokens.count()) === 0;
      const { token, info } = await tokens.create({ name: values.name ?? '', role: values.role, createdBy: actor.name });
      await audit.record({
        actor,
        action: 'token.created',
        object: { tokenId: info.id, name: info.name, role: info.role },
        ip: null,
      });
      // The token alone on stdout (for scripts); what it is on stderr.
      console.error(`created ${info.role} token ${info.id} for "${info.name}"; it is shown this once, store it now:`);
      console.log(token);
      console.error(`use it as: curl -H "Authorization: Bearer <token>" …, or sign in on the page with it`);
      if (wasOpen) console.error('this is the first token: the service no longer runs open and now requires a token');
      return;
    }
    case 'list': {
      const list = await tokens.list();
      if (values.json) {
        console.log(JSON.stringify(list, null, 2));
        return;
      }
      if (list.length === 0) {
        console.log(`no tokens in ${storageDir} (the service runs open on 127.0.0.1 only)`);
        return;
      }
      for (const t of list) {
        const state = t.revokedAt ? `revoked ${t.revokedAt}` : 'active';
        console.log(`${t.id}  ${t.role.padEnd(6)}  ${state.padEnd(32)}  created ${t.createdAt} by ${t.createdBy}  ${t.name}`);
      }
      return;
    }
    case 'revoke': {
      const [id, ...extra] = rest;
      if (!id || extra.length > 0) throw new AppError('USAGE', `revoke takes one token id (see list)\n\n${USAGE}`);
      const info = await tokens.revoke(id, actor.name);
      await audit.record({ actor, action: 'token.revoked', object: { tokenId: info.id, name: info.name }, ip: null });
      console.log(`revoked ${info.id} (${info.role}, "${info.name}") at ${info.revokedAt}`);
      return;
    }
    default:
      throw new AppError('USAGE', `unknown command "${command.slice(0, 40)}"\n\n${USAGE}`);
  }
}

runCli(main, USAGE);
