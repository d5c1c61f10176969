// Reads [{"query": "...", "parameters": {...}}, ...] as JSON on stdin and prints, as JSON,
// one {"query", "errors": [...], "warnings": [...]} per statement, from Neo4j's semantic analysis.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const statements = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const results = statements.map(({ query, parameters }) => {
  const { diagnostics } = lintCypherQuery(query, { parameters: parameters ?? {} });
  const messages = (severity) =>
    diagnostics.filter((d) => d.severity === severity).map((d) => d.message);
  return { query, errors: messages(1), warnings: messages(2) };
});
process.stdout.write(JSON.stringify(results));
