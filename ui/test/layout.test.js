// @ts-check
/** The pure parts of the map's layout and of what a call-plan step draws. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { keyPersonsOnly, stepDrawing, tieWords } from "../src/elements.js";
import {
  BASE_FONT,
  BLOCK_GAP,
  MAX_FIT_ZOOM,
  MIN_LABEL_PX,
  fitView,
  labelFont,
  packBlocks,
  seededRandom,
  typicalCell,
  withSeed,
} from "../src/layout.js";

/** @typedef {import("../src/results").CallStep} CallStep */

const DAY = 24 * 60 * 60 * 1000;

test("a tie reads tier, strength and last contact apart", () => {
  const now = Date.parse("2026-12-06T12:00:00Z");
  const tie = { tier: "CONFIDANT", strength: 0.2071 };
  assert.equal(
    tieWords(tie, new Date(now - 140 * DAY).toISOString(), now),
    "confidant · strength 21% · last contact 140 days ago",
  );
  assert.equal(tieWords({ tier: "PASSER_BY", strength: 0.1 }, null, now), "passer-by · strength 10% · no contact logged");
  assert.equal(tieWords(tie, new Date(now - DAY).toISOString(), now), "confidant · strength 21% · last contact 1 day ago");
  assert.equal(tieWords(tie, new Date(now).toISOString(), now), "confidant · strength 21% · last contact today");
  assert.equal(tieWords(tie, null, now, 7), "confidant · strength 21% · last contact 7 days ago");
});

test("key persons only: the key persons, with their ties", () => {
  const base = {
    isExecutive: false, covered: true, threads: 1, desiredTier: null, stance: null, tierGap: null,
    roles: [], relationships: [],
  };
  const entries = [
    { ...base, isKeyPerson: true, person: { id: "k", name: "K" } },
    { ...base, isKeyPerson: false, person: { id: "s", name: "S" } },
  ];
  assert.deepEqual(keyPersonsOnly(entries).map((e) => e.person.id), ["k"]);
});

/** @param {Partial<CallStep>} fields @returns {CallStep} */
function step(fields) {
  return {
    rank: 1, action: "DEEPEN", keyPerson: { id: "hw", name: "黄伟" }, gaps: ["UNCOVERED"], who: null,
    relationship: null, lastContactDays: null, path: null, nearest: null, score: 1, why: "",
    ...fields,
  };
}

test("a deepen or rekindle step draws the tie between our person and the key person", () => {
  const drawn = stepDrawing(
    step({
      action: "REKINDLE",
      who: { id: "wh", name: "王浩" },
      relationship: { tier: "FRIEND", strength: 0.2, relationship: { id: "t1" }, ourPerson: { id: "wh", name: "王浩" } },
    }),
  );
  assert.deepEqual(drawn.people.map((p) => p.id), ["wh", "hw"]);
  assert.deepEqual(drawn.hops, [{ id: "t1", source: "wh", target: "hw", relationshipId: "t1", dashed: false }]);
});

test("an introduction draws its path hop by hop, reporting-line hops dashed", () => {
  const drawn = stepDrawing(
    step({
      action: "INTRODUCE",
      who: { id: "ln", name: "李娜" },
      path: {
        strength: 0.4, hops: 2,
        people: [{ id: "ln", name: "李娜" }, { id: "cj", name: "陈静" }, { id: "hw", name: "黄伟" }],
        steps: [
          { fromPerson: { id: "ln" }, toPerson: { id: "cj" }, relationshipId: "t2", kind: "RELATIONSHIP" },
          { fromPerson: { id: "cj" }, toPerson: { id: "hw" }, relationshipId: null, kind: "REPORTING_LINE" },
        ],
      },
    }),
  );
  assert.deepEqual(drawn.people.map((p) => p.id), ["ln", "cj", "hw"]);
  assert.deepEqual(drawn.hops, [
    { id: "t2", source: "ln", target: "cj", relationshipId: "t2", dashed: false },
    { id: "hop:REPORTING_LINE:cj:hw", source: "cj", target: "hw", relationshipId: null, dashed: true },
  ]);
});

test("nobody in reach draws the key person and the nearest person we reach", () => {
  const drawn = stepDrawing(step({ action: "NOBODY_IN_REACH", nearest: { id: "n", name: "N" } }));
  assert.deepEqual(drawn.people.map((p) => p.id), ["hw", "n"]);
  assert.deepEqual(drawn.hops, []);
});

test("labels never drawn under the minimum at the fitted zoom", () => {
  for (const zoom of [0.05, 0.2, 0.5, 0.83, 1, 1.25]) {
    const font = labelFont(zoom);
    assert.ok(font * zoom >= MIN_LABEL_PX - 1e-9, `${zoom}`);
    assert.ok(font >= BASE_FONT);
  }
  assert.equal(labelFont(1), BASE_FONT);
});

test("the fit shows the whole box inside the canvas, never enlarged past the cap", () => {
  const box = { x1: -200, y1: 50, w: 2000, h: 900 };
  const { zoom, pan } = fitView(box, 1000, 700);
  assert.ok(pan.x + box.x1 * zoom >= 0 && pan.x + (box.x1 + box.w) * zoom <= 1000);
  assert.ok(pan.y + box.y1 * zoom >= 0 && pan.y + (box.y1 + box.h) * zoom <= 700);
  assert.equal(fitView({ x1: 0, y1: 0, w: 10, h: 10 }, 1000, 700).zoom, MAX_FIT_ZOOM);
});

test("packed blocks do not overlap and fill a wide canvas wider than tall", () => {
  const blocks = Array.from({ length: 9 }, (_, i) => ({
    id: `b${i}`, x1: i * 1000, y1: -i * 500, w: 200 + 40 * (i % 3), h: 150 + 30 * (i % 4),
  }));
  const shifts = packBlocks(blocks, 1.5);
  const placed = blocks.map((b) => {
    const s = shifts.get(b.id);
    assert.ok(s, b.id);
    return { x1: b.x1 + s.dx, y1: b.y1 + s.dy, x2: b.x1 + s.dx + b.w, y2: b.y1 + s.dy + b.h };
  });
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const [p, q] = [placed[i], placed[j]];
      const apart = p.x2 + BLOCK_GAP <= q.x1 + 1e-9 || q.x2 + BLOCK_GAP <= p.x1 + 1e-9 ||
        p.y2 + BLOCK_GAP <= q.y1 + 1e-9 || q.y2 + BLOCK_GAP <= p.y1 + 1e-9;
      assert.ok(apart, `${i} and ${j} overlap`);
    }
  }
  const width = Math.max(...placed.map((p) => p.x2)) - Math.min(...placed.map((p) => p.x1));
  const height = Math.max(...placed.map((p) => p.y2)) - Math.min(...placed.map((p) => p.y1));
  assert.ok(width > height, `${width} x ${height}`);
  assert.deepEqual(placed[0].x1, 0); // the first block (ours) opens the first row
  assert.deepEqual(placed[0].y1, 0);
});

test("a typical cell is the 80th percentile of nodes with their labels", () => {
  const cell = typicalCell(
    [10, 20, 30, 40, 50].map((w) => ({ w, h: w / 2 })),
    [1, 2, 3, 4, 5].map((w) => ({ w, h: w })),
  );
  assert.deepEqual(cell, { w: 50, h: 25, nodeW: 5, nodeH: 5 });
});

test("the seeded layout start is the same each time, and Math.random is given back", () => {
  const original = Math.random;
  const a = withSeed(20, () => [Math.random(), Math.random()]);
  const b = withSeed(20, () => [Math.random(), Math.random()]);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, withSeed(21, () => [Math.random(), Math.random()]));
  assert.equal(Math.random, original);
  const random = seededRandom(1);
  for (let i = 0; i < 100; i++) {
    const value = random();
    assert.ok(value >= 0 && value < 1);
  }
});
