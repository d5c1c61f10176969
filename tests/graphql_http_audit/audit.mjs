// Runs graphql-http's GraphQL-over-HTTP audit suite against a running server.
//
//   node audit.mjs http://127.0.0.1:8000/graphql
//
// GUANXI_AUDIT_HEADERS may hold a JSON object of extra request headers (e.g. Authorization),
// added to every request the audits send. Prints one line per audit that did not pass, then
// the counts per level as JSON on the last line:
//   {"MUST":{"ok":n,"failed":n},"SHOULD":{...},"MAY":{...}}
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}
const extra = JSON.parse(process.env.GUANXI_AUDIT_HEADERS || '{}');

function fetchWithHeaders(input, init = {}) {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return fetch(input, { ...init, headers });
}

const results = await auditServer({ url, fetchFn: fetchWithHeaders });
const counts = {};
for (const result of results) {
  const level = result.name.split(' ')[0];
  counts[level] ??= { ok: 0, failed: 0 };
  if (result.status === 'ok') {
    counts[level].ok += 1;
  } else {
    counts[level].failed += 1;
    let body = '';
    try {
      body = await result.response.text();
    } catch {
      body = '(body already read)';
    }
    console.log(`${result.status} ${result.id} ${result.name}: ${result.reason} | ${body.slice(0, 200)}`);
  }
}
console.log(JSON.stringify(counts));
