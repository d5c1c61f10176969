// @ts-check
/** The pure builders of src/elements.js: what the map draws for a given API answer. */

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  edgeWidth,
  gaps,
  introductionElements,
  keyPersonElements,
  referralElements,
} from "../src/elements.js";

/** @typedef {import("../src/results").KeyPersonEntry} KeyPersonEntry */

const OURS = { id: "c-ours", name: "Guanxi", isOurs: true };

/** @param {string} id @param {string} name */
function ourPerson(id, name) {
  return { id, name, roles: [{ company: OURS }] };
}

/**
 * @param {string} id
 * @param {Partial<KeyPersonEntry>} fields
 * @returns {KeyPersonEntry}
 */
function entry(id, fields) {
  return {
    isKeyPerson: false,
    isExecutive: false,
    covered: false,
    threads: 0,
    desiredTier: null,
    stance: null,
    tierGap: null,
    person: { id, name: `person ${id}` },
    roles: [{ id: `r-${id}`, title: "Engineer", department: "IT", buyingRole: null, seniority: null }],
    relationships: [],
    ...fields,
  };
}

const lina = ourPerson("p-lina", "Li Na");
const emily = ourPerson("p-emily", "Emily");

const ENTRIES = [
  entry("p-boss", {
    isKeyPerson: true,
    covered: true,
    threads: 2,
    roles: [{ id: "r1", title: "GM", department: "Management", buyingRole: "DECISION_MAKER", seniority: "EXECUTIVE" }],
    relationships: [
      { tier: "CONFIDANT", strength: 0.9, relationship: { id: "t1", lastInteractionAt: null }, ourPerson: lina },
      { tier: "ACQUAINTANCE", strength: 0.2, relationship: { id: "t2", lastInteractionAt: null }, ourPerson: emily },
    ],
  }),
  entry("p-buyer", {
    isKeyPerson: true,
    covered: false,
    threads: 1,
    roles: [{ id: "r2", title: "Buyer", department: "Procurement", buyingRole: "GATEKEEPER", seniority: null }],
    relationships: [{ tier: "PASSER_BY", strength: 0.1, relationship: { id: "t3", lastInteractionAt: null }, ourPerson: emily }],
  }),
  entry("p-lonely", { isKeyPerson: true, covered: false, threads: 0 }),
  entry("p-engineer", {}),
];

/** @param {import("../src/page").Element[]} elements @param {string} id */
function find(elements, id) {
  const found = elements.find((element) => element.data.id === id);
  assert.ok(found, `no element ${id}`);
  return found;
}

test("gaps: uncovered and single-threaded concern key persons only", () => {
  assert.deepEqual(gaps(ENTRIES[0]), { uncovered: false, singleThreaded: false });
  assert.deepEqual(gaps(ENTRIES[1]), { uncovered: true, singleThreaded: true });
  assert.deepEqual(gaps(ENTRIES[2]), { uncovered: true, singleThreaded: false });
  assert.deepEqual(gaps(entry("x", { threads: 1 })), { uncovered: false, singleThreaded: false });
});

test("edge width grows with strength and stays within 1..8", () => {
  assert.equal(edgeWidth(0), 1);
  assert.equal(edgeWidth(1), 8);
  assert.ok(edgeWidth(0.5) > edgeWidth(0.2));
  assert.equal(edgeWidth(7), 8);
  assert.equal(edgeWidth(-1), 1);
});

test("key-person map by department: people in their department, marks as classes", () => {
  const elements = keyPersonElements(ENTRIES, [], "department");
  assert.equal(find(elements, "p-boss").data.parent, "department:Management");
  assert.equal(find(elements, "p-engineer").data.parent, "department:IT");
  assert.equal(find(elements, "p-buyer").classes, "person their key uncovered single");
  assert.equal(find(elements, "p-lonely").classes, "person their key uncovered");
  assert.equal(find(elements, "p-engineer").classes, "person their");
  // our people once each, in our company's box, left of everyone of theirs
  const ours = elements.filter((element) => element.classes === "person ours");
  assert.deepEqual(ours.map((element) => element.data.id).sort(), ["p-emily", "p-lina"]);
  assert.ok(ours.every((element) => element.data.parent === "ours:c-ours"));
  const theirX = elements.filter((e) => e.classes?.includes("their")).map((e) => e.position?.x ?? 0);
  assert.ok(ours.every((element) => (element.position?.x ?? 0) < Math.min(...theirX)));
  // one edge per tie, coloured by tier, as wide as strong
  const ties = elements.filter((element) => element.group === "edges");
  assert.deepEqual(ties.map((tie) => tie.data.id).sort(), ["t1", "t2", "t3"]);
  assert.equal(find(elements, "t1").classes, "tie tier-CONFIDANT");
  assert.equal(find(elements, "t1").data.width, edgeWidth(0.9));
  assert.equal(find(elements, "t3").data.source, "p-emily");
  assert.equal(find(elements, "t3").data.target, "p-buyer");
});

test("no two of their people share a position", () => {
  const many = Array.from({ length: 10 }, (_, i) => entry(`p${i}`, {}));
  const positions = keyPersonElements(many, [], "department")
    .filter((element) => element.position)
    .map((element) => `${element.position?.x},${element.position?.y}`);
  assert.equal(new Set(positions).size, positions.length);
});

test("key-person map by reporting line: reports right of their manager, with an edge", () => {
  const chart = [
    { person: { id: "p-buyer" }, managerId: "p-boss" },
    { person: { id: "p-engineer" }, managerId: "p-buyer" },
    { person: { id: "p-boss" }, managerId: null },
    { person: { id: "p-lonely" }, managerId: "someone-not-on-the-map" },
  ];
  const elements = keyPersonElements(ENTRIES, chart, "reporting");
  /** @param {string} id */
  const x = (id) => find(elements, id).position?.x ?? NaN;
  assert.ok(x("p-boss") < x("p-buyer") && x("p-buyer") < x("p-engineer"));
  assert.equal(x("p-lonely"), x("p-boss")); // a manager off the map: a root of its own
  assert.equal(find(elements, "reports:p-boss:p-buyer").data.target, "p-buyer");
  assert.equal(find(elements, "p-boss").data.parent, null);
  const people = elements.filter((element) => element.classes?.includes("their"));
  assert.equal(people.length, ENTRIES.length);
});

test("referrals: upstream left, downstream right, edges from referrer to referred", () => {
  /** @param {string} id @param {number} depth @param {string | null} parentId @param {"Company" | "Person"} kind */
  const node = (id, depth, parentId, kind = "Company") => ({
    party: { __typename: kind, id, name: id },
    depth,
    parentId,
    date: "2024-01-01",
  });
  const chains = {
    upstream: { total: 2, hasMore: false, nodes: { nodes: [node("a", 1, "root"), node("b", 2, "a")] } },
    downstream: {
      total: 2,
      hasMore: false,
      value: 0,
      currency: "CNY",
      nodes: { nodes: [node("c", 1, "root", "Person"), node("d", 2, "c")] },
    },
  };
  const elements = referralElements({ id: "root", name: "Root" }, /** @type {any} */ (chains));
  assert.ok((find(elements, "up:b").position?.x ?? 0) < (find(elements, "up:a").position?.x ?? 0));
  assert.ok((find(elements, "up:a").position?.x ?? 0) < 0);
  assert.ok((find(elements, "down:d").position?.x ?? 0) > (find(elements, "down:c").position?.x ?? 0));
  assert.equal(find(elements, "down:c").classes, "party downstream individual");
  const edges = elements.filter((element) => element.group === "edges").map((e) => `${e.data.source}>${e.data.target}`);
  assert.deepEqual(edges.sort(), ["down:c>down:d", "root:root>down:c", "up:a>root:root", "up:b>up:a"]);
});

test("introductions: the best path is marked, shared people drawn once", () => {
  /** @param {string[]} ids @param {number} strength */
  const path = (ids, strength) => ({
    strength,
    hops: ids.length - 1,
    label: /** @type {const} */ ("STRONG"),
    people: ids.map((id) => ({ id, name: id })),
    steps: ids.slice(1).map((id, i) => ({
      fromPerson: { id: ids[i] },
      toPerson: { id },
      relationshipId: `${ids[i]}-${id}`,
      tier: /** @type {const} */ ("FRIEND"),
      strength,
    })),
  });
  const elements = introductionElements([path(["us", "x", "t"], 0.8), path(["us2", "t"], 0.3)]);
  assert.equal(elements.filter((element) => element.data.id === "t").length, 1);
  assert.equal(find(elements, "t").classes, "person target best");
  assert.equal(find(elements, "x-t").classes, "tie tier-FRIEND best");
  assert.equal(find(elements, "us2-t").classes, "tie tier-FRIEND");
  assert.equal(find(elements, "us").classes, "person ours best");
  assert.deepEqual(introductionElements([]), []);
});

test("by reporting line, a manager stands level with the middle of their reports", () => {
  const chart = ["p-buyer", "p-lonely", "p-engineer"].map((id) => ({
    person: { id },
    managerId: "p-boss",
  }));
  const elements = keyPersonElements(ENTRIES, chart, "reporting");
  /** @param {string} id */
  const y = (id) => find(elements, id).position?.y ?? NaN;
  const reports = [y("p-buyer"), y("p-lonely"), y("p-engineer")];
  assert.equal(new Set(reports).size, 3); // one row each
  assert.equal(y("p-boss"), (Math.min(...reports) + Math.max(...reports)) / 2);
});
