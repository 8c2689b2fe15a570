import pg from 'pg';
import { signIn } from './sign-in.ts';
import { runLoad } from './load.ts';
const url = 'http://127.0.0.1:3391';
const c = new pg.Client({ connectionString: 'postgres://postgres:postgres@127.0.0.1:5497/leboncours' });
await c.connect();
let username = process.argv[2];
try {
  const { rows } = await c.query(`select u.username, count(*) n from bookings b join users u on u.id = b.mentor_id group by 1 order by 2 desc limit 1`);
  username = rows[0].username; console.log(rows[0]);
} catch (e) { console.log('db', String(e)); }
await c.end().catch(() => {});
const me = await signIn(url, username, 'leboncours-demo');
for (const path of ['/dashboard', `/notifications`]) {
  const r = await runLoad({ url: `${url}${path}`, connections: 10, seconds: 8, headers: { cookie: me.cookie }, expected: [200] });
  console.log(path, r.reqPerSec.toFixed(0), 'req/s', r.statusCounts, 'p50', r.p50Ms);
}
