// `npm run migrate` / `npm run seed` / `node --import tsx src/db/cli.ts rollback`:
// the same database resolution as the app (DATABASE_URL or the embedded cluster).
import fs from 'node:fs';
import { createDeps } from '../composition.ts';
import { loadConfig } from '../config.ts';
import { seedDemoOnce } from '../../seeds/demo.ts';
import { connectDatabase } from './connect.ts';
import { migrateLatest, rollbackAll } from './migrate.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');

const command = process.argv[2];
const config = loadConfig();
const db = await connectDatabase(config, () => undefined);
// One-shot and doing DDL: straight to the primary, never through PgBouncer.
const deps = createDeps(config, db.directUrl);
try {
  if (command === 'migrate') console.log('applied:', await migrateLatest(deps.knex));
  else if (command === 'rollback') {
    await rollbackAll(deps.knex);
    console.log('rolled back every migration');
  }
  else if (command === 'seed') console.log((await seedDemoOnce(deps)) ?? 'demo data already loaded, or real data present: nothing done');
  else console.error('usage: cli.ts migrate | rollback | seed');
} finally {
  await deps.close();
  await db.embedded?.stop();
}
