// @ts-check
/** The side panels: a customer's key persons and gaps, a person's details, referral and
 * introduction summaries. Each returns elements; main.js places them. */

import { gaps, tieWords } from "./elements.js";
import { h, percent, present, tierChip, words } from "./dom.js";

/**
 * @typedef {import("./results").KeyPersonMap} KeyPersonMap
 * @typedef {import("./results").PersonDetailsQuery} PersonDetailsQuery
 * @typedef {import("./results").ReferralChainsQuery} ReferralChainsQuery
 * @typedef {import("./results").IntroductionPath} IntroductionPath
 * @typedef {import("./results").CallStep} CallStep
 * @typedef {(personId: string) => void} OnPerson
 */

/**
 * The coverage summary and the key persons, gaps marked.
 * @param {KeyPersonMap} map
 * @param {OnPerson} onPerson
 */
export function summaryPanel(map, onPerson) {
  const s = map.summary;
  const keyPersons = map.entries.filter((entry) => entry.isKeyPerson);
  return present([
    h("h2", {}, map.company.name),
    h(
      "p",
      { class: "facts" },
      [map.company.industry, map.company.region, words(map.company.lifecycleStage)]
        .filter(Boolean)
        .join(" · "),
      map.tierWithUs ? ` · ${words(map.tierWithUs)}` : "",
    ),
    h(
      "dl",
      { class: "stats" },
      h("dt", {}, "key persons"),
      h("dd", { "data-stat": "keyPersons" }, s.keyPersons),
      h("dt", {}, "covered"),
      h("dd", { "data-stat": "covered" }, s.covered),
      h("dt", {}, "uncovered"),
      h("dd", { "data-stat": "uncovered" }, s.uncovered),
      h("dt", {}, "single-threaded"),
      h("dd", { "data-stat": "singleThreaded" }, s.singleThreaded),
      h("dt", {}, "reaches executives"),
      h("dd", { "data-stat": "reachesExecutives" }, s.reachesExecutives ? "yes" : "no"),
    ),
    h("h3", {}, "Key persons"),
    keyPersons.length === 0
      ? h("p", { class: "empty" }, "No key persons recorded here.")
      : h(
          "ul",
          { class: "key-persons" },
          keyPersons.map((entry) => {
            const { uncovered, singleThreaded } = gaps(entry);
            const role = entry.roles[0];
            const strongest = entry.relationships[0];
            return h(
              "li",
              {
                "data-person-id": entry.person.id,
                "data-gaps": [uncovered ? "uncovered" : "", singleThreaded ? "single" : ""]
                  .filter(Boolean)
                  .join(" "),
              },
              h(
                "button",
                { type: "button", class: "link", onclick: () => onPerson(entry.person.id) },
                entry.person.name,
              ),
              role ? h("span", { class: "role" }, role.title, role.buyingRole ? ` · ${words(role.buyingRole)}` : "") : null,
              h(
                "span",
                { class: "status" },
                strongest
                  ? h("span", { class: "tie-words" }, `${tieWords(strongest, strongest.relationship.lastInteractionAt)} · `)
                  : null,
                `${entry.threads} of ours`,
                uncovered ? h("span", { class: "mark uncovered" }, "uncovered") : null,
                singleThreaded ? h("span", { class: "mark single" }, "single-threaded") : null,
              ),
            );
          }),
        ),
  ]);
}

/**
 * A person's roles, relationships and recent interactions.
 * @param {PersonDetailsQuery} details
 * @param {OnPerson} onPerson  open another person
 * @param {(personId: string, name: string) => void} onIntroductions
 */
export function personPanel(details, onPerson, onIntroductions) {
  const person = details.person;
  if (!person) return [h("p", { class: "empty" }, "This person is no longer in the graph.")];
  const contact = [person.email, person.phone, words(person.communicationStyle)].filter(Boolean);
  return present([
    h("h2", { id: "person-name" }, person.name),
    contact.length ? h("p", { class: "facts" }, contact.join(" · ")) : null,
    person.notes ? h("p", { class: "notes" }, person.notes) : null,
    h(
      "button",
      { type: "button", id: "find-introductions", onclick: () => onIntroductions(person.id, person.name) },
      "Best introductions to ",
      person.name,
    ),
    h("h3", {}, "Roles"),
    h(
      "ul",
      { class: "roles" },
      person.roles.map((role) =>
        h(
          "li",
          { class: role.isCurrent ? "current" : "past" },
          h("strong", {}, role.title),
          " at ",
          role.company.name,
          role.department ? ` · ${role.department}` : "",
          role.isKeyPerson ? h("span", { class: "mark key" }, "key person") : null,
          role.buyingRole ? ` · ${words(role.buyingRole)}` : "",
          role.stance ? ` · ${words(role.stance)}` : "",
          role.desiredTier ? h("span", { class: "desired" }, " · aim: ", tierChip(role.desiredTier)) : null,
          h("span", { class: "dates" }, ` ${role.startDate ?? "?"} – ${role.endDate ?? "now"}`),
        ),
      ),
    ),
    h("h3", {}, `Relationships (${person.relationships.length})`),
    h(
      "ul",
      { class: "relationships" },
      person.relationships.map((tie) => {
        const other = tie.fromPerson.id === person.id ? tie.toPerson : tie.fromPerson;
        return h(
          "li",
          { "data-relationship-id": tie.id },
          h("button", { type: "button", class: "link", onclick: () => onPerson(other.id) }, other.name),
          h("span", { class: "tie-words" }, ` ${tieWords(tie, tie.lastInteractionAt)}`),
          tie.level ? h("span", { class: "level" }, ` · ${words(tie.level)}`) : null,
        );
      }),
    ),
    h("h3", {}, `Recent interactions (${details.interactions.totalCount})`),
    details.interactions.nodes.length === 0
      ? h("p", { class: "empty" }, "None logged.")
      : h(
          "ul",
          { class: "interactions" },
          details.interactions.nodes.map((interaction) =>
            h(
              "li",
              { "data-interaction-id": interaction.id },
              h("span", { class: "date" }, interaction.at.slice(0, 10)),
              ` ${words(interaction.kind)} `,
              h("span", { class: `sentiment s${interaction.sentiment}` }, sentimentWord(interaction.sentiment)),
              interaction.summary ? h("div", {}, interaction.summary) : null,
              h(
                "div",
                { class: "who" },
                [...interaction.ourPeople, ...interaction.theirPeople].map((p) => p.name).join(", "),
              ),
            ),
          ),
        ),
  ]);
}

/** @param {number} sentiment  -2..2 */
function sentimentWord(sentiment) {
  return ["went badly", "went poorly", "neutral", "went well", "went very well"][sentiment + 2] ?? "";
}

/**
 * Upstream and downstream counts of a customer's referral network.
 * @param {string} name
 * @param {ReferralChainsQuery} chains
 */
export function referralPanel(name, chains) {
  const { upstream, downstream } = chains;
  const shown = upstream.nodes.nodes.length + downstream.nodes.nodes.length;
  const total = upstream.nodes.totalCount + downstream.nodes.totalCount;
  return present([
    h("h2", {}, `Referrals of ${name}`),
    h(
      "dl",
      { class: "stats" },
      h("dt", {}, "upstream (who brought it)"),
      h("dd", { "data-stat": "upstream" }, upstream.total),
      h("dt", {}, "downstream (whom it brought)"),
      h("dd", { "data-stat": "downstream" }, downstream.total),
      h("dt", {}, "downstream value"),
      h("dd", {}, `${downstream.value.toLocaleString()} ${downstream.currency}`),
    ),
    upstream.hasMore || downstream.hasMore
      ? h("p", { class: "notes" }, "The network goes on beyond the levels shown.")
      : null,
    shown < total
      ? h("p", { class: "notes", id: "referrals-cut" }, `Showing ${shown} of ${total} parties.`)
      : null,
    h("p", { class: "notes" }, "Purple: upstream · teal: downstream. Click a company to open it."),
  ]);
}

/**
 * The best paths to a person; clicking one highlights it.
 * @param {string} name
 * @param {IntroductionPath[]} paths
 * @param {(index: number) => void} onPath
 */
export function introductionPanel(name, paths, onPath) {
  return present([
    h("h2", {}, `Introductions to ${name}`),
    paths.length === 0
      ? h("p", { class: "empty" }, "None of our people can reach them within three hops.")
      : h(
          "ol",
          { class: "paths" },
          paths.map((path, index) =>
            h(
              "li",
              { "data-path": String(index) },
              h(
                "button",
                { type: "button", class: "link", onclick: () => onPath(index) },
                path.people.map((p) => p.name).join(" → "),
              ),
              h("span", { class: "status" }, ` ${path.hops === 1 ? "1 hop" : `${path.hops} hops`} · strength ${percent(path.strength)} · ${words(path.label)}`),
            ),
          ),
        ),
  ]);
}

const ACTION_WORDS = {
  DEEPEN: "deepen",
  REKINDLE: "rekindle",
  INTRODUCE: "introduce",
  NOBODY_IN_REACH: "nobody in reach",
};

/**
 * The call plan: the next calls, ranked; each row says what to do and why, and a click
 * draws the step on the map.
 * @param {CallStep[]} steps
 * @param {(step: CallStep) => void} onStep
 */
export function callPlanPanel(steps, onStep) {
  return present([
    h("h2", {}, "Next calls"),
    steps.length === 0
      ? h("p", { class: "empty" }, "No key person here needs a step.")
      : h(
          "ol",
          { class: "call-plan" },
          steps.map((step) =>
            h(
              "li",
              {
                "data-rank": String(step.rank),
                "data-action": step.action,
                "data-person-id": step.keyPerson.id,
                "aria-current": "false",
              },
              h(
                "button",
                { type: "button", class: "link step", onclick: () => onStep(step) },
                h("span", { class: `action action-${step.action}` }, ACTION_WORDS[step.action]),
                " ",
                step.keyPerson.name,
                step.who ? ` · ${step.who.name}` : "",
              ),
              h("span", { class: "why" }, step.why),
              step.gaps.length
                ? h("span", { class: "gaps" }, step.gaps.map((gap) => words(gap)).join(" · "))
                : null,
            ),
          ),
        ),
  ]);
}
