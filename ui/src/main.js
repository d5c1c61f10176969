// @ts-check
/** The page: sign-in, customer search, the three views (key persons, referrals,
 * introductions), the date slider and the person panel. */

import cytoscape from "cytoscape";
import { ApiError, graphql, storeToken, storedToken, takeTokenFromAddress } from "./api.js";
import { h } from "./dom.js";
import { introductionElements, keyPersonElements, referralElements } from "./elements.js";
import { introductionPanel, personPanel, referralPanel, summaryPanel } from "./panel.js";
import * as Q from "./queries.js";
import { STYLE } from "./style.js";

/**
 * @typedef {import("./types").KeyPersonMapResult} KeyPersonMapResult
 * @typedef {import("./types").CompanyHit} CompanyHit
 * @typedef {import("./types").Element} Element
 * @typedef {"map" | "referrals" | "introductions"} View
 */

const DAY = 24 * 60 * 60 * 1000;
const MAX_FIT_ZOOM = 1.25;

/** @param {string} selector */
function $(selector) {
  const element = document.querySelector(selector);
  if (!(element instanceof HTMLElement)) throw new Error(`missing ${selector}`);
  return element;
}

const graphBox = $("#graph");
const cy = cytoscape({
  container: graphBox,
  style: STYLE,
  layout: { name: "preset" },
  minZoom: 0.2,
  maxZoom: 3,
});
// the graph, for the end-to-end tests (and for poking around in the browser's console)
Object.assign(window, { guanxiGraph: cy });

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
 * Replace the graph's elements and fit them in view.
 * @param {Element[]} elements
 */
function draw(elements) {
  cy.batch(() => {
    cy.elements().remove();
    cy.add(/** @type {cytoscape.ElementDefinition[]} */ (elements));
  });
  cy.fit(undefined, 30);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM); // a small graph stays at reading size
    cy.center();
  }
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
  /** @type {KeyPersonMapResult} */
  const result = await graphql(Q.KEY_PERSON_MAP, { companyId: state.company.id, asOf: asOf() });
  if (!isCurrent()) return;
  const map = result.keyPersonMap;
  draw(keyPersonElements(map.entries, result.orgChart.people, state.groupBy));
  $("#summary").replaceChildren(...summaryPanel(map, showPerson));
}

/** @param {() => boolean} isCurrent */
async function drawReferrals(isCurrent) {
  const company = state.company;
  if (!company) return;
  /** @type {import("./types").ReferralChainsResult} */
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
  /** @type {{bestIntroductions: import("./types").IntroductionPath[]}} */
  const result = await graphql(Q.BEST_INTRODUCTIONS, { toPersonId: target.id });
  if (!isCurrent()) return;
  const paths = result.bestIntroductions;
  draw(introductionElements(paths));
  /** @param {number} index */
  const highlight = (index) => {
    const path = paths[index];
    const ids = new Set([...path.people.map((p) => p.id), ...path.steps.map((s) => s.relationshipId)]);
    cy.elements().forEach((element) => {
      element.toggleClass("faded", !ids.has(element.id()));
    });
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
    /** @type {import("./types").PersonDetailsResult} */
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
  /** @type {{lifecycleTimeline: {start: string}[]}} */
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
  /** @type {{companies: {nodes: CompanyHit[]}}} */
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
  slider.addEventListener("change", () => void refresh());
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
    /** @type {{company: {id: string, name: string} | null}} */
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
