// @ts-check
/** The client's trusted documents: every operation has an id, sent in place of the text. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { documentIdOf, graphql } from "../src/api.js";
import { DOCUMENT_IDS } from "../src/documents.js";
import * as Q from "../src/queries.js";

test("every operation of the page is sent by the id of its registered document", () => {
  const ids = Object.values(Q).map((query) => documentIdOf(query));
  assert.equal(ids.length, Object.keys(DOCUMENT_IDS).length);
  assert.deepEqual(new Set(ids), new Set(Object.values(DOCUMENT_IDS)));
  assert.equal(documentIdOf(Q.KEY_PERSON_MAP), DOCUMENT_IDS.KeyPersonMap);
  assert.equal(documentIdOf("{ companies { totalCount } }"), null); // not the page's: as text
});

/**
 * Run `graphql` against answers given in turn; the bodies it sent.
 * @param {object[]} answers
 * @param {string} query
 */
async function sent(answers, query) {
  /** @type {Record<string, unknown>[]} */
  const bodies = [];
  const store = new Map([["guanxi.token", "t"]]);
  Object.assign(globalThis, {
    sessionStorage: { getItem: (/** @type {string} */ key) => store.get(key) ?? null },
    fetch: async (/** @type {string} */ _url, /** @type {{body: string}} */ init) => {
      bodies.push(JSON.parse(init.body));
      return new Response(JSON.stringify(answers[bodies.length - 1]), { status: 200 });
    },
  });
  const data = await graphql(query, { id: "c1" });
  return { bodies, data };
}

test("the id goes alone; the text follows once only when the server does not know the id", async () => {
  const ok = { data: { company: null } };
  const first = await sent([ok], Q.COMPANY);
  assert.deepEqual(first.bodies, [{ documentId: DOCUMENT_IDS.Company, variables: { id: "c1" } }]);

  const unknown = { errors: [{ message: "no", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] };
  const fallback = await sent([unknown, ok], Q.COMPANY);
  assert.deepEqual(fallback.bodies[1], { query: Q.COMPANY, variables: { id: "c1" } });
  assert.deepEqual(fallback.data, { company: null });

  const refused = { errors: [{ message: "no", extensions: { code: "UNTRUSTED_DOCUMENT" } }] };
  await assert.rejects(sent([refused, ok], Q.COMPANY), { code: "UNTRUSTED_DOCUMENT" });
});
