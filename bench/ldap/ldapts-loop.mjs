// The second reference of `npm run bench:ldap`: the least a Node LDAP scan can do with ldapts, a bind and a
// searchPaginated loop that only counts entries. What gpaudit costs above this is gpaudit's own; what this costs
// above ldapsearch is Node's and ldapts'.
//
//   GPAUDIT_SAMBA_URL=ldap://127.0.0.1:389 GPAUDIT_SAMBA_BIND_DN=… GPAUDIT_SAMBA_PASSWORD=… GPAUDIT_SAMBA_BASE_DN=… \
//     node bench/ldap/ldapts-loop.mjs FILTER PAGE_SIZE ATTRIBUTE...
//
// Prints the number of entries read.
import { Client } from 'ldapts';

const [filter, pageSize, ...attributes] = process.argv.slice(2);
const env = process.env;
const client = new Client({ url: env.GPAUDIT_SAMBA_URL, timeout: 600_000, connectTimeout: 10_000 });
let count = 0;
try {
  await client.bind(env.GPAUDIT_SAMBA_BIND_DN, env.GPAUDIT_SAMBA_PASSWORD);
  const pages = client.searchPaginated(env.GPAUDIT_SAMBA_BASE_DN, { scope: 'sub', filter, attributes, paged: { pageSize: Number(pageSize) } });
  for await (const page of pages) count += page.searchEntries.length;
} finally {
  await client.unbind();
}
process.stdout.write(`${count}\n`);
