// Child process for durability.test.ts: commits five-row transactions in a loop on an
// embedded data folder and reports each commit on stdout, until it is killed. Each
// transaction stays open a few milliseconds, so the kill usually lands inside one.
import { sql } from 'drizzle-orm';
import { bootDatabase } from '../boot.js';
import { loadConfig } from '../config.js';
import { withTx } from '../db/tx.js';

const quiet = { info: () => {}, warn: () => {} };
const { database } = await bootDatabase(loadConfig(), quiet);
await database.db.execute(
  sql`create table if not exists durability_probe (batch int not null, n int not null)`,
);
for (let batch = 1; ; batch++) {
  await withTx(database.db, async (tx) => {
    for (let n = 0; n < 5; n++) {
      await tx.execute(sql`insert into durability_probe values (${batch}, ${n})`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  });
  process.stdout.write(`committed ${batch}\n`);
}
