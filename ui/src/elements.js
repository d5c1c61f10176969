// @ts-check
/**
 * Pure builders: GraphQL results in, cytoscape element definitions (with positions) out.
 * Nothing here touches the page, so `node --test` checks it (test/elements.test.js).
 *
 * @typedef {import("./page").Element} Element
 * @typedef {import("./results").KeyPersonEntry} KeyPersonEntry
 * @typedef {import("./results").OrgChartPerson} OrgChartPerson
 * @typedef {import("./results").ReferralChainsQuery} ReferralChainsQuery
 * @typedef {import("./results").IntroductionPath} IntroductionPath
 * @typedef {import("./results").CallStep} CallStep
 */

const COLUMN = 240; // horizontal distance between columns
const ROW = 86; // vertical distance between people in a column
const THEIR_START = 420; // x of the customer's first column; our people stand at x = 0
const NO_DEPARTMENT = "(no department)";
const PER_ROW = 3; // people side by side in a department's box
const DEPARTMENT_GAP = 70; // room for a department box's label and padding
/** Above this many of their people on the map, only key persons' labels carry the title. */
export const BRIEF_LABELS_ABOVE = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Line width for a strength in 0..1. @param {number} strength */
export function edgeWidth(strength) {
  return 1 + 7 * Math.max(0, Math.min(1, strength));
}

/**
 * How a key person stands: uncovered (no tie of ours meets the coverage rule) and
 * single-threaded (only one of our people holds a tie) are the gaps.
 * @param {KeyPersonEntry} entry
 */
export function gaps(entry) {
  return {
    uncovered: entry.isKeyPerson && !entry.covered,
    singleThreaded: entry.isKeyPerson && entry.threads === 1,
  };
}

/** @param {KeyPersonEntry} entry */
function theirClasses(entry) {
  const { uncovered, singleThreaded } = gaps(entry);
  return [
    "person",
    "their",
    entry.isKeyPerson ? "key" : "",
    uncovered ? "uncovered" : "",
    singleThreaded ? "single" : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/**
 * A person's label: name and title; only the name for others than key persons when the map
 * is crowded (brief).
 * @param {KeyPersonEntry} entry
 * @param {boolean} [brief]
 */
function theirLabel(entry, brief = false) {
  const role = entry.roles[0];
  const title = role && (!brief || entry.isKeyPerson) ? role.title : "";
  return title ? `${entry.person.name}\n${title}` : entry.person.name;
}

/**
 * Only the key persons and their contacts: the key persons, and (through the ties kept on
 * each entry) our people who hold ties with them.
 * @param {KeyPersonEntry[]} entries
 * @returns {KeyPersonEntry[]}
 */
export function keyPersonsOnly(entries) {
  return entries.filter((entry) => entry.isKeyPerson);
}

/**
 * A tie in words, its set tier apart from its decayed strength:
 * "confidant · strength 21% · last contact 140 days ago".
 * @param {{tier: string, strength: number}} tie
 * @param {string | null | undefined} lastContact  ISO time of the last interaction, if any
 * @param {number} [now]  ms since the epoch
 * @param {number | null} [days]  days since the last contact, when the API says it
 */
export function tieWords(tie, lastContact, now = Date.now(), days = null) {
  const tier = tie.tier.toLowerCase().replaceAll("_", "-");
  const parts = [tier, `strength ${Math.round(tie.strength * 100)}%`];
  const since =
    days ?? (lastContact ? Math.max(0, Math.floor((now - Date.parse(lastContact)) / DAY_MS)) : null);
  if (since === null) parts.push("no contact logged");
  else if (since === 0) parts.push("last contact today");
  else parts.push(`last contact ${since === 1 ? "1 day" : `${since} days`} ago`);
  return parts.join(" · ");
}

/**
 * The map of a customer: its people (grouped by department, or laid out along reporting
 * lines), our people holding ties with them (grouped by our company), and the ties.
 * @param {KeyPersonEntry[]} entries  keyPersonMap.entries (key persons first)
 * @param {OrgChartPerson[]} orgChart  orgChart.people (reporting lines)
 * @param {"department" | "reporting"} groupBy
 * @returns {Element[]}
 */
export function keyPersonElements(entries, orgChart, groupBy) {
  /** @type {Element[]} */
  const elements = [];
  const brief = entries.length > BRIEF_LABELS_ABOVE;
  elements.push(...ourSide(entries));
  if (groupBy === "department") elements.push(...byDepartment(entries, brief));
  else elements.push(...byReportingLine(entries, orgChart, brief));
  for (const entry of entries) {
    for (const tie of entry.relationships) {
      elements.push({
        group: "edges",
        data: {
          id: tie.relationship.id,
          source: tie.ourPerson.id,
          target: entry.person.id,
          tier: tie.tier,
          strength: tie.strength,
          width: edgeWidth(tie.strength),
        },
        classes: `tie tier-${tie.tier}`,
      });
    }
  }
  return elements;
}

/** Our people with ties on the map, in a column, grouped by our company. @param {KeyPersonEntry[]} entries */
function ourSide(entries) {
  /** @type {Map<string, {company: {id: string, name: string} | null, people: Map<string, string>}>} */
  const groups = new Map();
  for (const entry of entries) {
    for (const tie of entry.relationships) {
      const person = tie.ourPerson;
      const company = person.roles.map((role) => role.company).find((c) => c.isOurs) ?? null;
      const key = company ? company.id : "";
      const group = groups.get(key) ?? { company, people: new Map() };
      group.people.set(person.id, person.name);
      groups.set(key, group);
    }
  }
  /** @type {Element[]} */
  const elements = [];
  let row = 0;
  for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const parent = group.company ? `ours:${key}` : null;
    if (group.company && parent) {
      elements.push({
        group: "nodes",
        data: { id: parent, label: group.company.name },
        classes: "group ours",
      });
    }
    for (const [id, name] of group.people) {
      elements.push({
        group: "nodes",
        data: { id, label: name, parent },
        position: { x: 0, y: row * ROW },
        classes: "person ours",
      });
      row += 1;
    }
    row += 1; // a gap between our companies
  }
  return elements;
}

/**
 * The customer's people by department: departments stacked top to bottom, each a box with
 * its people in rows of PER_ROW (key persons first, as the API lists them).
 * @param {KeyPersonEntry[]} entries
 * @param {boolean} brief
 */
function byDepartment(entries, brief) {
  /** @type {Map<string, KeyPersonEntry[]>} */
  const departments = new Map();
  for (const entry of entries) {
    const name = entry.roles.find((role) => role.department)?.department ?? NO_DEPARTMENT;
    departments.set(name, [...(departments.get(name) ?? []), entry]);
  }
  /** @type {Element[]} */
  const elements = [];
  const names = [...departments.keys()].sort((a, b) =>
    a === NO_DEPARTMENT ? 1 : b === NO_DEPARTMENT ? -1 : a.localeCompare(b),
  );
  let top = 0;
  for (const name of names) {
    const parent = `department:${name}`;
    const people = departments.get(name) ?? [];
    elements.push({ group: "nodes", data: { id: parent, label: name }, classes: "group" });
    people.forEach((entry, index) => {
      const row = Math.floor(index / PER_ROW);
      elements.push({
        group: "nodes",
        data: { id: entry.person.id, label: theirLabel(entry, brief), parent },
        position: { x: THEIR_START + (index % PER_ROW) * COLUMN * 0.75, y: top + row * ROW },
        classes: theirClasses(entry),
      });
    });
    top += Math.ceil(people.length / PER_ROW) * ROW + DEPARTMENT_GAP;
  }
  return elements;
}

/**
 * The customer's people as reporting trees: a column per level, managers left of their
 * reports, with an edge from each manager to each report on the map.
 * @param {KeyPersonEntry[]} entries
 * @param {OrgChartPerson[]} orgChart
 * @param {boolean} brief
 */
function byReportingLine(entries, orgChart, brief) {
  const onMap = new Set(entries.map((entry) => entry.person.id));
  /** @type {Map<string, string>} */
  const managerOf = new Map();
  for (const row of orgChart) {
    if (row.managerId && onMap.has(row.managerId) && onMap.has(row.person.id)) {
      managerOf.set(row.person.id, row.managerId);
    }
  }
  /** @type {Map<string, string[]>} */
  const reports = new Map();
  for (const entry of entries) {
    const manager = managerOf.get(entry.person.id);
    if (manager) reports.set(manager, [...(reports.get(manager) ?? []), entry.person.id]);
  }
  const byId = new Map(entries.map((entry) => [entry.person.id, entry]));
  /** @type {Element[]} */
  const elements = [];
  let nextRow = 0; // the row the next leaf of the trees goes on
  const placed = new Set();
  /** @param {string} id @param {number} depth */
  /**
   * Place a person and, to their right, their reports; a manager stands level with the middle
   * of their reports. Returns the row the person is on.
   * @param {string} id
   * @param {number} depth
   * @returns {number | null}
   */
  const place = (id, depth) => {
    const entry = byId.get(id);
    if (!entry || placed.has(id)) return null; // reporting lines hold no cycles; guard anyway
    placed.add(id);
    /** @type {Element} */
    const node = {
      group: "nodes",
      data: { id, label: theirLabel(entry, brief), parent: null },
      classes: theirClasses(entry),
    };
    elements.push(node);
    const rows = [];
    for (const child of reports.get(id) ?? []) {
      elements.push({
        group: "edges",
        data: { id: `reports:${id}:${child}`, source: id, target: child },
        classes: "reports",
      });
      const row = place(child, depth + 1);
      if (row !== null) rows.push(row);
    }
    const row = rows.length ? (Math.min(...rows) + Math.max(...rows)) / 2 : nextRow++;
    node.position = { x: THEIR_START + depth * COLUMN, y: row * ROW };
    return row;
  };
  for (const entry of entries) if (!managerOf.has(entry.person.id)) place(entry.person.id, 0);
  for (const entry of entries) place(entry.person.id, 0); // anyone left (a cycle in bad data)
  return elements;
}

/**
 * A customer's referral network: the upstream chain to the left of it (who brought it, and
 * who brought them), the downstream tree to the right (whom it brought, and so on).
 * @param {{id: string, name: string}} root
 * @param {ReferralChainsQuery} chains
 * @returns {Element[]}
 */
export function referralElements(root, chains) {
  /** @type {Element[]} */
  const elements = [
    {
      group: "nodes",
      data: { id: `root:${root.id}`, partyId: root.id, label: root.name },
      position: { x: 0, y: 0 },
      classes: "party root",
    },
  ];
  /** @param {"up" | "down"} side @param {import("./results").ReferralNode[]} nodes */
  const addSide = (side, nodes) => {
    /** @param {string | null} id */
    const nodeId = (id) => (id === root.id ? `root:${root.id}` : `${side}:${id}`);
    /** @type {Map<number, number>} */
    const rowsAtDepth = new Map();
    const seen = new Set();
    for (const node of nodes) {
      const id = nodeId(node.party.id);
      if (seen.has(id) || node.party.id === root.id) continue;
      seen.add(id);
      const row = rowsAtDepth.get(node.depth) ?? 0;
      rowsAtDepth.set(node.depth, row + 1);
      const x = (side === "up" ? -1 : 1) * node.depth * COLUMN;
      elements.push({
        group: "nodes",
        data: { id, partyId: node.party.id, label: node.party.name, date: node.date },
        position: { x, y: row * ROW },
        classes: `party ${side === "up" ? "upstream" : "downstream"} ${node.party.__typename === "Company" ? "company" : "individual"}`,
      });
    }
    for (const node of nodes) {
      const id = nodeId(node.party.id);
      const parent = nodeId(node.parentId);
      if (!node.parentId || !seen.has(id) || (parent !== `root:${root.id}` && !seen.has(parent))) {
        continue;
      }
      // the edge runs from referrer to referred: downstream the parent referred this one,
      // upstream this one referred the parent
      const [source, target] = side === "down" ? [parent, id] : [id, parent];
      elements.push({
        group: "edges",
        data: { id: `${side}:${source}->${target}`, source, target, label: node.date ?? "" },
        classes: "referral",
      });
    }
  };
  addSide("up", chains.upstream.nodes.nodes);
  addSide("down", chains.downstream.nodes.nodes);
  return elements;
}

/**
 * The best introduction paths to a person, drawn together: the target at the right, each
 * path on a row of its own, the best (first) one marked `best`.
 * @param {IntroductionPath[]} paths  strongest first
 * @returns {Element[]}
 */
export function introductionElements(paths) {
  /** @type {Element[]} */
  const elements = [];
  if (paths.length === 0) return elements;
  const longest = Math.max(...paths.map((path) => path.people.length));
  const target = paths[0].people[paths[0].people.length - 1];
  const nodes = new Map();
  const edges = new Map();
  paths.forEach((path, row) => {
    const best = row === 0 ? " best" : "";
    path.people.forEach((person, index) => {
      const isTarget = person.id === target.id;
      const existing = nodes.get(person.id);
      if (existing) {
        if (best) existing.classes += best;
        return;
      }
      const kind = isTarget ? "target" : index === 0 ? "ours" : "intermediary";
      const x = isTarget ? (longest - 1) * COLUMN : index * COLUMN;
      const y = isTarget ? ((paths.length - 1) * ROW * 1.4) / 2 : row * ROW * 1.4;
      nodes.set(person.id, {
        group: "nodes",
        data: { id: person.id, label: person.name },
        position: { x, y },
        classes: `person ${kind}${best}`,
      });
    });
    for (const step of path.steps) {
      const existing = edges.get(step.relationshipId);
      if (existing) {
        if (best) existing.classes += best;
        continue;
      }
      edges.set(step.relationshipId, {
        group: "edges",
        data: {
          id: step.relationshipId,
          source: step.fromPerson.id,
          target: step.toPerson.id,
          tier: step.tier,
          strength: step.strength,
          width: edgeWidth(step.strength),
        },
        classes: `tie tier-${step.tier}${best}`,
      });
    }
  });
  elements.push(...nodes.values(), ...edges.values());
  return elements;
}

/**
 * What a call-plan step draws on the map: the people it involves and the hops between them.
 * A hop is the tie itself (relationshipId, drawn already when its ends are on the map) or,
 * for a reporting-line or colleague hop of an introduction, a dashed edge of its own.
 * @param {CallStep} step
 * @returns {{people: {id: string, name: string}[], hops: {id: string, source: string, target: string, relationshipId: string | null, dashed: boolean}[]}}
 */
export function stepDrawing(step) {
  /** @type {Map<string, {id: string, name: string}>} */
  const people = new Map();
  /** @param {{id: string, name: string} | null | undefined} person */
  const add = (person) => {
    if (person && !people.has(person.id)) people.set(person.id, { id: person.id, name: person.name });
  };
  /** @type {{id: string, source: string, target: string, relationshipId: string | null, dashed: boolean}[]} */
  const hops = [];
  if ((step.action === "DEEPEN" || step.action === "REKINDLE") && step.relationship) {
    const who = step.who ?? step.relationship.ourPerson;
    add(who);
    add(step.keyPerson);
    const id = step.relationship.relationship.id;
    hops.push({ id, source: who.id, target: step.keyPerson.id, relationshipId: id, dashed: false });
  } else if (step.action === "INTRODUCE" && step.path) {
    for (const person of step.path.people) add(person);
    for (const hop of step.path.steps) {
      const tie = hop.kind === "RELATIONSHIP" ? hop.relationshipId : null;
      hops.push({
        id: tie ?? `hop:${hop.kind}:${hop.fromPerson.id}:${hop.toPerson.id}`,
        source: hop.fromPerson.id,
        target: hop.toPerson.id,
        relationshipId: tie,
        dashed: !tie,
      });
    }
    add(step.keyPerson);
  } else {
    add(step.keyPerson);
    add(step.nearest);
    add(step.who);
  }
  return { people: [...people.values()], hops };
}
