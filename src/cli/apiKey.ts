import { parseArgs } from 'node:util';
import { principalSchema } from '../domain/principal';
import { openStore } from '../store';
import { loadConfigOrExit } from '../lifecycle';

const USAGE = `usage: npm run api-key -- --name NAME --role admin|ops|manager|partner
         [--partner ID] [--escalation-role ROLE ...] [--region REGION ...]
Creates a service API key in the store (DATABASE_URL, else PGlite under ROE_DATA_DIR) and prints it once.
This is how the first admin of a deployment without JWT sign-on gets in.`;

/** Bootstrap: an operator with database access creates a service API key from the command line. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      partner: { type: 'string' },
      'escalation-role': { type: 'string', multiple: true },
      region: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.name || !values.role) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const grant = principalSchema.safeParse({
    subject: 'pending',
    role: values.role,
    ...(values.role === 'partner' ? { partnerId: values.partner } : {}),
    ...(values.role === 'manager' ? { escalationRoles: values['escalation-role'], regions: values.region } : {}),
  });
  if (!grant.success) {
    const flags: Record<string, string> = {
      partnerId: '--partner',
      escalationRoles: '--escalation-role',
      regions: '--region',
    };
    for (const issue of grant.error.issues) {
      const field = String(issue.path[0] ?? 'role');
      process.stderr.write(`${flags[field] ?? `--${field}`}: ${issue.message}\n`);
    }
    process.exit(2);
  }
  const config = loadConfigOrExit('embedded');
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const { subject: _pending, ...rest } = grant.data;
    const { record, key } = await store.apiKeys.create(values.name, rest);
    process.stdout.write(
      `created API key ${record.id} (${record.name}, ${record.principal.role}); it is shown only now:\n${key}\n`,
    );
  } finally {
    await store.db.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`api-key: ${error.message}\n`);
  process.exit(1);
});
