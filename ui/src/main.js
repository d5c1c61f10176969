// @ts-check
/** The page: sign-in, customer search, the three views (key persons, referrals,
 * introductions), the date slider and the person panel. */

import cytoscape from "cytoscape";
import { ApiError, graphql, storeToken, storedToken, takeTokenFromAddress } from "./api.js";
import { h } from "./dom.js";
import {
  introductionElements,
  keyPersonElements,
  keyPersonsOnly,
  referralElements,
  stepDrawing,
} from "./elements.js";
import {
  BASE_FONT,
  FIT_PADDING,
  GROUP_PADDING,
  LABEL_ROOM,
  LAYOUT_SEED,
  MIN_FIT_ZOOM,
  MIN_LABEL_PX,
  fcoseOptions,
  fitView,
  labelFont,
  packBlocks,
  typicalCell,
  withSeed,
} from "./layout.js";
import { callPlanPanel, introductionPanel, personPanel, referralPanel, summaryPanel } from "./panel.js";
import * as Q from "./queries.js";
import { STYLE } from "./style.js";

/**
 * @typedef {import("./results").KeyPersonMapQuery} KeyPersonMapQuery
 * @typedef {import("./results").CompanyHit} CompanyHit
 * @typedef {import("./page").Element} Element
 * @typedef {import("./results").CallStep} CallStep
 * @typedef {"map" | "referrals" | "introductions"} View
 */

const DAY = 24 * 60 * 60 * 1000;
// cytoscape-fcose's UMD build comes in as a classic script (index.html) and leaves itself here
if (window.cytoscapeFcose) cytoscape.use(window.cytoscapeFcose);

/** @param {string} selector */
function $(selector) {
  const element = document.querySelector(selector);
  if (!(element instanceof HTMLElement)) throw new Error(`missing ${selector}`);
  return element;
}

/** How long the date slider must rest before the map of its date is asked for (ms). */
const SLIDER_SETTLE_MS = 250;

const graphBox = $("#graph");
const cy = cytoscape({
  container: graphBox,
  style: STYLE,
  layout: { name: "preset" },
  minZoom: MIN_FIT_ZOOM, // a fit may go that low (a big customer in a short window)
  maxZoom: 3,
});
// the graph and the person panel, for the end-to-end tests (and for the browser's console)
Object.assign(window, { guanxiGraph: cy, guanxiOpenPerson: (/** @type {string} */ id) => showPerson(id) });

const state = {
  /** @type {View} */
  view: "map",
  /** @type {{id: string, name: string} | null} */
  company: null,
  /** @type {"department" | "reporting"} */
  groupBy: "department",
  /** Midnight (UTC) of the earliest day the slider reaches. @type {number} */
  since: Date.now(),
  /** @type {{id: string, name: string} | null} */
  introductionsTo: null,
  /** Only the key persons and our people who hold ties with them. */
  keyOnly: false,
  /** How the drawing was laid out. @type {"fcose" | "preset"} */
  layout: "preset",
  /** The canvas size the drawing was laid out for. */
  laidOutFor: "",
  // counters: an answer that arrives after a newer request started is dropped
  drawing: 0,
  personRequest: 0,
  searchRequest: 0,
};

/** Show an error; a refused credential sends the user back to sign in. @param {unknown} error */
function fail(error) {
  showMessage(error instanceof Error ? error.message : String(error));
  if (error instanceof ApiError && error.code === "UNAUTHENTICATED") {
    storeToken(null);
    signIn();
  }
}

/** @param {string | null} text */
function showMessage(text) {
  const box = $("#message");
  box.textContent = text ?? "";
  box.hidden = !text;
}

function signIn() {
  $("#workspace").hidden = true;
  $("#sign-in").hidden = false;
  /** @type {HTMLInputElement} */ ($("#search")).disabled = true;
}

/**
 * Replace the graph's elements, lay them out (fCoSE for the key-person map, the builders'
 * positions otherwise) and fit them in view.
 * @param {Element[]} elements
 * @param {"fcose" | "preset"} [layout]
 */
function draw(elements, layout = "preset") {
  cy.batch(() => {
    cy.elements().remove();
    cy.add(/** @type {cytoscape.ElementDefinition[]} */ (elements));
  });
  state.layout = layout;
  layOutAndFit();
}

/** Lay the drawing out (fCoSE, when it is the key-person map) and fit it. */
function layOutAndFit() {
  const started = performance.now();
  setLabelFont(BASE_FONT);
  if (state.layout === "fcose" && window.cytoscapeFcose && cy.nodes().nonempty()) {
    /** Lay out with labels of this size; the zoom a fit then needs. @param {number} font */
    const layOut = (font) => {
      setLabelFont(font);
      const people = cy.nodes(".their").toArray();
      const cell = typicalCell(
        people.map((node) => node.boundingBox({ includeLabels: true, includeOverlays: false })),
        people.map((node) => node.boundingBox({ includeLabels: false, includeOverlays: false })),
      );
      const options = /** @type {cytoscape.LayoutOptions} */ (fcoseOptions(cy.nodes().length, cell));
      // the ties stay out of the layout: pulled towards our people, the people holding them
      // stretched their department's box into mostly empty space; without them each box is
      // a compact tiling of its people (reporting lines, when drawn, still shape the trees)
      withSeed(LAYOUT_SEED, () => cy.elements().not(".tie").layout(options).run());
      packDrawing(font);
      return fitView(nodeBox(), cy.width(), cy.height()).zoom;
    };
    // labels are part of a node's size in the layout, so a layout is only as legible as the
    // labels it made room for: while the fit would draw them under MIN_LABEL_PX, lay out
    // again with the labels the fit needs; the labels are only part of the drawing's size,
    // so the rounds close in (at 45 and 200 people the fifth layout is within 5%); the fit
    // then sizes the labels for its own zoom, so they are never under MIN_LABEL_PX
    let font = BASE_FONT;
    let zoom = layOut(font);
    for (let round = 0; round < 4 && font * zoom < MIN_LABEL_PX; round += 1) {
      font = Math.max(font, labelFont(zoom) * 1.04);
      zoom = layOut(font);
    }
    // when the rounds stop short, the labels the fit needs are larger than the layout's:
    // pack the boxes again around those, so that no box runs into the next one's title
    if (font * zoom < MIN_LABEL_PX) {
      font = labelFont(zoom);
      setLabelFont(font);
      packDrawing(font);
    }
    graphBox.dataset.layoutFont = String(Math.round(font * 10) / 10);
  }
  refit();
  graphBox.dataset.layoutMs = String(Math.round(performance.now() - started));
}

/**
 * Pack the drawing's blocks (each department box, our company's box, each reporting tree:
 * the top-level nodes joined by reporting lines) into rows that fill the canvas.
 */
/** @param {number} font  the labels' size (model units) */
function packDrawing(font) {
  /** @param {cytoscape.NodeSingular} node */
  const topOf = (node) => {
    let top = node;
    while (top.parent().nonempty()) top = /** @type {cytoscape.NodeSingular} */ (top.parent().first());
    return top.id();
  };
  /** @type {Map<string, string>} */
  const root = new Map();
  /** @param {string} id @returns {string} */
  const find = (id) => {
    const up = root.get(id) ?? id;
    if (up === id) return id;
    const found = find(up);
    root.set(id, found);
    return found;
  };
  cy.edges(".reports").forEach((edge) => {
    const [a, b] = [find(topOf(edge.source())), find(topOf(edge.target()))];
    if (a !== b) root.set(a, b);
  });
  /** @type {Map<string, cytoscape.NodeCollection>} */
  const groups = new Map();
  cy.nodes().forEach((node) => {
    const key = find(topOf(node));
    groups.set(key, (groups.get(key) ?? cy.collection()).union(node).nodes());
  });
  // a box's size from its people (cytoscape updates a compound's own box only when drawn),
  // with the box's padding around them and its label above
  const titled = GROUP_PADDING + 1.1 * 1.3 * font;
  const blocks = [...groups].map(([id, members]) => {
    const box = members.filter(":childless").boundingBox({ includeLabels: true, includeOverlays: false });
    const boxed = members.filter(":parent").nonempty();
    const [side, top] = boxed ? [GROUP_PADDING, titled] : [0, 0];
    const ours = members.filter(".ours").nonempty();
    return { id, ours, x1: box.x1 - side, y1: box.y1 - top, w: box.w + 2 * side, h: box.h + top + side };
  });
  blocks.sort((a, b) => Number(b.ours) - Number(a.ours)); // ours opens the first row
  const aspect = (cy.width() - 2 * FIT_PADDING) / Math.max(1, cy.height() - 2 * FIT_PADDING - LABEL_ROOM);
  const shifts = packBlocks(blocks, aspect);
  cy.batch(() => {
    for (const [id, members] of groups) {
      const shift = shifts.get(id);
      if (shift) members.filter(":childless").shift({ x: shift.dx, y: shift.dy });
    }
  });
}

/** The nodes' bounding box, labels aside. */
function nodeBox() {
  return cy.nodes().boundingBox({ includeLabels: false, includeOverlays: false });
}

/** Labels (and their wrapping width) in model units; people's nodes grow with their labels
 * so that they stay visible beside them. @param {number} font */
function setLabelFont(font) {
  const size = Math.max(26, Math.round(font * 1.3));
  cy.batch(() => {
    cy.nodes().style({ "font-size": font, "text-max-width": `${Math.round(font * 12.5)}px` });
    cy.nodes(".person").style({ width: size, height: size });
    cy.nodes(".person.key, .person.target").style({ width: size * 1.4, height: size * 1.4 });
    cy.nodes(".group").style({ "font-size": Math.round(font * 1.1 * 10) / 10 });
  });
}

/**
 * Fit the drawing to the canvas (after a drawing, and whenever the canvas changes size):
 * every node on screen, and labels never under MIN_LABEL_PX on screen.
 */
function refit() {
  cy.resize();
  if (cy.nodes().empty() || cy.width() === 0 || cy.height() === 0) return;
  const { zoom, pan } = fitView(nodeBox(), cy.width(), cy.height());
  setLabelFont(labelFont(zoom));
  cy.viewport({ zoom, pan });
  state.laidOutFor = `${cy.width()}x${cy.height()}`;
  graphBox.dataset.canvas = state.laidOutFor; // what the drawing is fitted to (for the tests)
  graphBox.dataset.zoom = zoom.toFixed(3);
}

/** Empty the graph and the panels that describe it (after a failure: nothing stale stays). */
function clearDrawing() {
  draw([]);
  for (const id of ["#summary", "#referral-summary", "#introduction-list"]) $(id).replaceChildren();
}

/**
 * Draw one view: the busy marker on, a failure shown (and nothing stale left), an answer
 * that arrives after a newer drawing started dropped. When it ends, the graph's data-view,
 * data-company and data-as-of say what it shows, and data-error whether it failed.
 * @param {(isCurrent: () => boolean) => Promise<void>} step
 */
async function render(step) {
  const drawing = ++state.drawing;
  const isCurrent = () => drawing === state.drawing;
  const what = { view: state.view, company: state.company?.id ?? "", asOf: asOf() ?? "" };
  graphBox.setAttribute("aria-busy", "true");
  let failed = false;
  try {
    await step(isCurrent);
    if (isCurrent()) showMessage(null);
  } catch (error) {
    failed = true;
    if (isCurrent()) {
      clearDrawing();
      fail(error);
    }
  }
  if (isCurrent()) {
    Object.assign(graphBox.dataset, what);
    graphBox.dataset.error = String(failed);
    graphBox.setAttribute("aria-busy", "false");
  }
}

/** The end of the day the slider shows, or null for today. */
function asOf() {
  const slider = /** @type {HTMLInputElement} */ ($("#as-of"));
  if (slider.value === slider.max) return null;
  return new Date(state.since + (Number(slider.value) + 1) * DAY - 1000).toISOString();
}

function showView() {
  for (const button of document.querySelectorAll("#views button")) {
    button.setAttribute("aria-pressed", String(button.getAttribute("data-view") === state.view));
  }
  for (const part of document.querySelectorAll("[data-for]")) {
    /** @type {HTMLElement} */ (part).hidden = part.getAttribute("data-for") !== state.view;
  }
  // the org chart has no past: say so when it is drawn beside a past date
  $("#reporting-today").hidden = !(state.groupBy === "reporting" && asOf());
}

/** Draw the current view of the chosen customer. */
function refresh() {
  showView();
  if (!state.company) return Promise.resolve();
  if (state.view === "map") return render(drawKeyPersonMap);
  if (state.view === "referrals") return render(drawReferrals);
  return render(drawIntroductions);
}

/** @param {() => boolean} isCurrent */
async function drawKeyPersonMap(isCurrent) {
  if (!state.company) return;
  /** @type {KeyPersonMapQuery} */
  const result = await graphql(Q.KEY_PERSON_MAP, { companyId: state.company.id, asOf: asOf() });
  if (!isCurrent()) return;
  const map = result.keyPersonMap;
  const entries = state.keyOnly ? keyPersonsOnly(map.entries) : map.entries;
  draw(keyPersonElements(entries, result.orgChart.people, state.groupBy), "fcose");
  const plan = h("section", { id: "call-plan" });
  $("#summary").replaceChildren(plan, ...summaryPanel(map, showPerson));
  if (asOf()) {
    plan.replaceChildren(h("p", { class: "notes" }, "Next calls: for today's map only."));
    return;
  }
  plan.replaceChildren(h("h2", {}, "Next calls"), h("p", { class: "empty" }, "Planning…"));
  /** @type {import("./results").CallPlanQuery} */
  let planned;
  try {
    planned = await graphql(Q.CALL_PLAN, { companyId: state.company.id });
  } catch (error) {
    if (!isCurrent()) return;
    // the map stands without the plan: say why it is missing, keep the drawing
    plan.replaceChildren(
      h("h2", {}, "Next calls"),
      h("p", { class: "empty" }, `No call plan: ${error instanceof Error ? error.message : String(error)}`),
    );
    return;
  }
  if (!isCurrent()) return;
  plan.replaceChildren(...callPlanPanel(planned.keyPersonMap.callPlan ?? [], drawStep));
}

/** Elements a drawn step added to the map (people or hops not drawn already). */
const STEP_ADDED = "step-added";

/**
 * Draw one step of the call plan: the tie to deepen or rekindle, or the introduction's path
 * hop by hop (reporting-line and colleague hops dashed), or the key person and the nearest
 * person we reach; everything else fades.
 * @param {CallStep} step
 */
function drawStep(step) {
  const { people, hops } = stepDrawing(step);
  cy.batch(() => {
    cy.elements(`.${STEP_ADDED}`).remove();
    cy.elements().removeClass("step faded");
    const keyPerson = cy.$id(step.keyPerson.id);
    const anchor = keyPerson.nonempty() ? keyPerson.position() : { x: 0, y: 0 };
    people.forEach((person, index) => {
      if (cy.$id(person.id).nonempty()) return;
      cy.add({
        group: "nodes",
        data: { id: person.id, label: person.name },
        position: { x: anchor.x - 120 * (people.length - index), y: anchor.y + 60 * (index % 2 ? 1 : -1) },
        classes: `person intermediary ${STEP_ADDED}`,
      });
    });
    for (const hop of hops) {
      if (cy.$id(hop.id).nonempty()) continue;
      cy.add({
        group: "edges",
        data: { id: hop.id, source: hop.source, target: hop.target },
        classes: `hop ${hop.dashed ? "dashed" : ""} ${STEP_ADDED}`,
      });
    }
    const drawn = new Set([...people.map((p) => p.id), ...hops.map((hop) => hop.id)]);
    cy.elements().forEach((element) => {
      if (drawn.has(element.id())) element.addClass("step");
      else if (!element.isParent()) element.addClass("faded");
    });
  });
  refit(); // people the step brought in are on screen too
  graphBox.dataset.step = String(step.rank);
  for (const row of document.querySelectorAll("#call-plan li")) {
    row.setAttribute("aria-current", String(row.getAttribute("data-rank") === String(step.rank)));
  }
}

/** @param {() => boolean} isCurrent */
async function drawReferrals(isCurrent) {
  const company = state.company;
  if (!company) return;
  /** @type {import("./results").ReferralChainsQuery} */
  const chains = await graphql(Q.REFERRAL_CHAINS, { id: company.id });
  if (!isCurrent()) return;
  draw(referralElements(company, chains));
  $("#referral-summary").replaceChildren(...referralPanel(company.name, chains));
}

/** @param {() => boolean} isCurrent */
async function drawIntroductions(isCurrent) {
  const target = state.introductionsTo;
  const list = $("#introduction-list");
  if (!target) {
    draw([]);
    list.replaceChildren(
      h("h2", {}, "Introductions"),
      h("p", { class: "empty" }, "Open a person (click them on the map), then “Best introductions”."),
    );
    return;
  }
  /** @type {import("./results").BestIntroductionsQuery} */
  const result = await graphql(Q.BEST_INTRODUCTIONS, { toPersonId: target.id });
  if (!isCurrent()) return;
  const paths = result.bestIntroductions;
  draw(introductionElements(paths));
  /** The chosen path carries the highlight (at first the best one); the others fade.
   * @param {number} index */
  const highlight = (index) => {
    const path = paths[index];
    const ids = new Set([...path.people.map((p) => p.id), ...path.steps.map((s) => s.relationshipId)]);
    cy.batch(() => {
      cy.elements().removeClass("best");
      cy.elements().forEach((element) => {
        element.toggleClass("chosen", ids.has(element.id()));
        element.toggleClass("faded", !ids.has(element.id()));
      });
    });
    graphBox.dataset.path = String(index);
    for (const row of document.querySelectorAll("#introduction-list ol.paths li")) {
      row.setAttribute("aria-current", String(row.getAttribute("data-path") === String(index)));
    }
  };
  list.replaceChildren(...introductionPanel(target.name, paths, highlight));
}

/** Open a person's panel. @param {string} personId */
async function showPerson(personId) {
  const request = ++state.personRequest;
  const panel = $("#person");
  panel.hidden = false;
  panel.setAttribute("aria-busy", "true");
  try {
    /** @type {import("./results").PersonDetailsQuery} */
    const details = await graphql(Q.PERSON_DETAILS, { id: personId });
    if (request !== state.personRequest) return;
    const close = () => {
      panel.hidden = true;
    };
    panel.replaceChildren(
      h("button", { type: "button", class: "close", "aria-label": "Close", onclick: close }, "×"),
      ...personPanel(details, showPerson, (id, name) => {
        state.introductionsTo = { id, name };
        state.view = "introductions";
        void refresh();
      }),
    );
    panel.dataset.personId = personId;
    cy.elements().unselect();
    cy.$id(personId).select();
  } catch (error) {
    if (request !== state.personRequest) return;
    panel.hidden = true; // not the previous person's details under a new name
    panel.replaceChildren();
    delete panel.dataset.personId;
    fail(error);
  } finally {
    if (request === state.personRequest) panel.setAttribute("aria-busy", "false");
  }
}

/**
 * Choose a customer: its lifecycle sets the slider's range, then the view is drawn.
 * @param {{id: string, name: string}} company
 */
async function openCompany(company) {
  const drawing = ++state.drawing; // whatever was being drawn is stale now
  state.searchRequest += 1; // and so are search answers still on their way
  graphBox.setAttribute("aria-busy", "true");
  state.company = company;
  $("#company-title").textContent = company.name;
  $("#person").hidden = true;
  $("#search-results").hidden = true;
  /** @type {HTMLInputElement} */ ($("#search")).value = "";
  const url = new URL(location.href);
  url.searchParams.set("company", company.id);
  history.replaceState(null, "", url);
  /** @type {import("./results").LifecycleQuery} */
  let timeline;
  try {
    timeline = await graphql(Q.LIFECYCLE, { companyId: company.id });
  } catch (error) {
    if (drawing !== state.drawing) return;
    clearDrawing();
    fail(error);
    graphBox.dataset.error = "true";
    graphBox.setAttribute("aria-busy", "false");
    return;
  }
  if (drawing !== state.drawing) return;
  const first = timeline.lifecycleTimeline[0];
  const fiveYears = Date.now() - 5 * 365 * DAY;
  const earliest = first ? Math.min(Date.parse(first.start), fiveYears) : fiveYears;
  state.since = Math.floor(earliest / DAY) * DAY;
  const slider = /** @type {HTMLInputElement} */ ($("#as-of"));
  const days = Math.floor((Date.now() - state.since) / DAY);
  slider.max = String(days);
  slider.value = String(days);
  $("#as-of-label").textContent = "today";
  await refresh();
}

/** @param {string} search */
async function findCustomers(search) {
  const request = ++state.searchRequest;
  /** @type {import("./results").FindCustomersQuery} */
  const result = await graphql(Q.FIND_CUSTOMERS, { search: search || null });
  if (request !== state.searchRequest) return; // a newer search, or a customer was opened
  const list = $("#search-results");
  list.replaceChildren(
    ...result.companies.nodes.map((company) =>
      h(
        "li",
        { role: "option" },
        h(
          "button",
          { type: "button", "data-company-id": company.id, onclick: () => void openCompany(company) },
          company.name,
          h("small", {}, [company.industry, company.region].filter(Boolean).join(" · ")),
        ),
      ),
    ),
  );
  if (result.companies.nodes.length === 0) list.append(h("li", { class: "empty" }, "No customer matches."));
  list.hidden = false;
}

function wire() {
  $("#sign-in").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ ($("#token"));
    storeToken(input.value.trim());
    input.value = "";
    void start();
  });

  const search = /** @type {HTMLInputElement} */ ($("#search"));
  /** @type {number | undefined} */
  let timer;
  const lookUp = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => findCustomers(search.value.trim()).catch(fail), 200);
  };
  search.addEventListener("input", lookUp);
  search.addEventListener("focus", lookUp);
  $("#search-form").addEventListener("submit", (event) => event.preventDefault());
  document.addEventListener("click", (event) => {
    if (!$("#search-form").contains(/** @type {Node} */ (event.target))) $("#search-results").hidden = true;
  });

  for (const button of document.querySelectorAll("#views button")) {
    button.addEventListener("click", () => {
      state.view = /** @type {View} */ (button.getAttribute("data-view"));
      void refresh();
    });
  }
  const keyOnly = /** @type {HTMLInputElement} */ ($("#key-only"));
  keyOnly.addEventListener("change", () => {
    state.keyOnly = keyOnly.checked;
    void refresh();
  });
  // the canvas follows the window: the key-person map is laid out again for the new shape
  // (the same seed: the same picture, rearranged), the other views refitted; labels stay legible
  /** @type {number | undefined} */
  let resizing;
  new ResizeObserver(() => {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(() => {
      cy.resize();
      const size = `${cy.width()}x${cy.height()}`;
      if (size === state.laidOutFor || cy.width() === 0) return;
      if (state.layout === "fcose") {
        cy.elements(".step-added").remove();
        cy.elements().removeClass("step faded");
        layOutAndFit();
      } else refit();
    }, 150);
  }).observe(graphBox);
  const groupBy = /** @type {HTMLSelectElement} */ ($("#group-by"));
  groupBy.addEventListener("change", () => {
    state.groupBy = groupBy.value === "reporting" ? "reporting" : "department";
    void refresh();
  });

  const slider = /** @type {HTMLInputElement} */ ($("#as-of"));
  const label = () => {
    const when = asOf();
    $("#as-of-label").textContent = when ? when.slice(0, 10) : "today";
  };
  slider.addEventListener("input", label);
  // the keyboard's arrows fire a change per step: draw once the slider rests, or a held key
  // sends a map request per day and runs into the per-credential limit on heavy reads
  /** @type {number | undefined} */
  let settling;
  slider.addEventListener("change", () => {
    window.clearTimeout(settling);
    settling = window.setTimeout(() => void refresh(), SLIDER_SETTLE_MS);
  });
  $("#as-of-today").addEventListener("click", () => {
    slider.value = slider.max;
    label();
    void refresh();
  });

  cy.on("tap", "node.person", (event) => void showPerson(event.target.id()));
  cy.on("tap", "node.party", (event) => {
    const node = event.target;
    const id = String(node.data("partyId"));
    if (node.hasClass("company") && id !== state.company?.id) {
      void openCompany({ id, name: String(node.data("label")) });
    } else if (node.hasClass("individual")) {
      void showPerson(id);
    }
  });
}

/** Start (or restart after signing in): check the token, then open the customer named in
 * the address, if any. */
async function start() {
  if (!storedToken()) {
    signIn();
    return;
  }
  try {
    await graphql(Q.PING);
  } catch (error) {
    fail(error);
    return;
  }
  showMessage(null);
  $("#sign-in").hidden = true;
  $("#workspace").hidden = false;
  /** @type {HTMLInputElement} */ ($("#search")).disabled = false;
  cy.resize();
  const companyId = new URL(location.href).searchParams.get("company");
  if (!companyId) {
    showView();
    $("#summary").replaceChildren(h("p", { class: "empty" }, "Search for a customer above."));
    return;
  }
  try {
    /** @type {import("./results").CompanyQuery} */
    const found = await graphql(Q.COMPANY, { id: companyId });
    if (found.company) await openCompany(found.company);
    else showMessage("That customer is not in the graph (any more).");
  } catch (error) {
    fail(error);
  }
}

takeTokenFromAddress();
wire();
void start();
