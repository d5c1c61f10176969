// @ts-check
/**
 * How the key-person map is laid out and fitted: fCoSE (cytoscape-fcose, a compound spring
 * embedder) places people inside their department boxes; the fit keeps every node on screen
 * and sizes labels so that they are never drawn smaller than MIN_LABEL_PX on screen.
 * Pure functions: `node --test` checks them (test/layout.test.js).
 */

/** The smallest a label is drawn at the default (fitted) zoom, in screen pixels. */
export const MIN_LABEL_PX = 10;
/** A label's font size in model units when the map is drawn at zoom 1 or more. */
export const BASE_FONT = 12;
/** The most a small map is enlarged to fit: it stays at reading size. */
export const MAX_FIT_ZOOM = 1.25;
/** The least a fit zooms to; cytoscape's minZoom is the same (it ignores a zoom below its
 * minZoom, so a fit under it would leave the drawing at the zoom it had, mostly off screen). */
export const MIN_FIT_ZOOM = 0.01;
/** Room around the drawing (screen px); below it, two lines of the last row's labels. */
export const FIT_PADDING = 24;
export const LABEL_ROOM = 2 * 1.3 * MIN_LABEL_PX + 6;

/** The seed of the layout's random start: the same customer is drawn the same way each time. */
export const LAYOUT_SEED = 20;

/**
 * A small seeded random generator (mulberry32): numbers in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Run `work` with Math.random replaced by a seeded generator (fCoSE draws its start from
 * Math.random; it runs synchronously when not animated), then put Math.random back.
 * @template T
 * @param {number} seed
 * @param {() => T} work
 * @returns {T}
 */
export function withSeed(seed, work) {
  const original = Math.random;
  Math.random = seededRandom(seed);
  try {
    return work();
  } finally {
    Math.random = original;
  }
}

/**
 * fCoSE's options for a map of `count` nodes: labels count as part of a node (so they do
 * not overlap), unconnected people are tiled in rows inside their department.
 * fCoSE tiles the people with no tie inside their department without their labels, so the
 * tiles' padding makes room for the labels: `cell` is a typical node with its label.
 * @param {number} count
 * @param {{w: number, h: number, nodeW: number, nodeH: number}} cell  model units
 */
export function fcoseOptions(count, cell) {
  const crowded = count > 80;
  return {
    name: "fcose",
    quality: crowded ? "default" : "proof",
    randomize: true,
    animate: false,
    fit: false,
    nodeDimensionsIncludeLabels: true,
    uniformNodeDimensions: false,
    packComponents: true,
    nodeSeparation: crowded ? 40 : 60,
    nodeRepulsion: () => (crowded ? 3500 : 6000),
    idealEdgeLength: () => (crowded ? 70 : 90),
    edgeElasticity: () => 0.45,
    nestingFactor: 0.1,
    gravity: 0.35,
    gravityCompound: 1.2,
    gravityRangeCompound: 1.2,
    numIter: 2500,
    tile: true,
    tilingPaddingVertical: Math.max(6, cell.h - cell.nodeH + 6),
    tilingPaddingHorizontal: Math.max(6, cell.w - cell.nodeW + 6),
  };
}

/**
 * A typical node with its label: the 80th percentile of the widths and heights given.
 * @param {{w: number, h: number}[]} withLabels  nodes' boxes with their labels
 * @param {{w: number, h: number}[]} bare  the same nodes' boxes without
 */
export function typicalCell(withLabels, bare) {
  /** @param {number[]} values */
  const p80 = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.8))] : 0;
  };
  return {
    w: p80(withLabels.map((box) => box.w)),
    h: p80(withLabels.map((box) => box.h)),
    nodeW: p80(bare.map((box) => box.w)),
    nodeH: p80(bare.map((box) => box.h)),
  };
}

/**
 * The zoom and pan that show a drawing's nodes (labels aside) whole in a w × h canvas,
 * with room for the last row's labels; never above MAX_FIT_ZOOM.
 * @param {{x1: number, y1: number, w: number, h: number}} box  the nodes' bounding box (model units)
 * @param {number} width  canvas width (screen px)
 * @param {number} height  canvas height (screen px)
 */
export function fitView(box, width, height) {
  const room = { w: width - 2 * FIT_PADDING, h: height - 2 * FIT_PADDING - LABEL_ROOM };
  const zoom = Math.max(
    MIN_FIT_ZOOM,
    Math.min(MAX_FIT_ZOOM, room.w / Math.max(box.w, 1), room.h / Math.max(box.h, 1)),
  );
  const pan = {
    x: (width - box.w * zoom) / 2 - box.x1 * zoom,
    y: FIT_PADDING + (room.h - box.h * zoom) / 2 - box.y1 * zoom,
  };
  return { zoom, pan };
}

/**
 * The font size (model units) that draws labels at least MIN_LABEL_PX on screen at `zoom`.
 * @param {number} zoom
 */
export function labelFont(zoom) {
  return Math.max(BASE_FONT, Math.ceil((MIN_LABEL_PX / zoom) * 10) / 10);
}

/** Room between packed blocks (model units). */
export const BLOCK_GAP = 24;
/** A department box's padding around its people (model units; style.js draws it). */
export const GROUP_PADDING = 12;

/**
 * Pack the drawing's blocks (the department boxes, our company's box, each reporting tree)
 * into rows that fill a canvas of the given aspect ratio: fCoSE places people well inside a
 * block but leaves wide gaps between disconnected blocks, which a fit then pays for in label
 * size. Blocks keep their shape; the first block (ours) opens the first row, the rest go
 * tallest first. Returns each block's shift.
 * @param {{id: string, x1: number, y1: number, w: number, h: number}[]} blocks
 * @param {number} aspect  canvas width / height
 * @returns {Map<string, {dx: number, dy: number}>}
 */
export function packBlocks(blocks, aspect) {
  /** @type {Map<string, {dx: number, dy: number}>} */
  const shifts = new Map();
  if (blocks.length === 0) return shifts;
  const area = blocks.reduce((sum, b) => sum + (b.w + BLOCK_GAP) * (b.h + BLOCK_GAP), 0);
  const widest = Math.max(...blocks.map((b) => b.w));
  const [first, ...rest] = blocks;
  const order = [first, ...rest.sort((a, b) => b.h - a.h || a.id.localeCompare(b.id))];
  // try a few row widths around the ideal one; keep the packing whose box best fits the canvas
  /** @type {{scale: number, shifts: Map<string, {dx: number, dy: number}>} | null} */
  let best = null;
  for (let factor = 0.6; factor <= 2; factor += 0.05) {
    const rowWidth = Math.max(widest, Math.sqrt(area * aspect) * factor);
    /** @type {Map<string, {dx: number, dy: number}>} */
    const placed = new Map();
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    let width = 0;
    for (const block of order) {
      if (x > 0 && x + block.w > rowWidth) {
        y += rowHeight + BLOCK_GAP;
        x = 0;
        rowHeight = 0;
      }
      placed.set(block.id, { dx: x - block.x1, dy: y - block.y1 });
      x += block.w + BLOCK_GAP;
      width = Math.max(width, x - BLOCK_GAP);
      rowHeight = Math.max(rowHeight, block.h);
    }
    const height = y + rowHeight;
    const scale = Math.min(aspect / width, 1 / height); // the zoom a fit would give, up to a factor
    if (!best || scale > best.scale) best = { scale, shifts: placed };
  }
  return best ? best.shifts : shifts;
}
