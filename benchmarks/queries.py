"""The GraphQL documents the benchmarks send, one per operation measured."""

from __future__ import annotations

from typing import Final

# A page of customers with their current people (`first` 20 in the benchmark).
COMPANIES: Final = """query ($first: Int!) { companies(first: $first, filter: {isOurs: false}) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { id name status valueClass lifecycleStage ourRelationshipCount peopleCount
          people { title buyingRole isKeyPerson seniority person { id name } } } } }"""

# People found by name (characters or pinyin), with their roles and companies.
PEOPLE_SEARCH: Final = """query ($q: String!) { people(filter: {search: $q}) {
  totalCount nodes { id name roles { title company { id name } } } } }"""

# The key-person map of a customer, everyone listed; `at` null for now, or a past time.
MAP: Final = """query ($c: ID!, $at: DateTime) {
  keyPersonMap(companyId: $c, everyone: true, asOf: $at) {
  summary { keyPersons covered uncovered singleThreaded coverageRatio reachesExecutives }
  entries { person { id name } roles { id title seniority buyingRole }
            relationships { tier strength level lastUpdated isStrongest
                            relationship { id } ourPerson { id name } } }
  mismatches { rule reason } } }"""

# The call plan of a customer: the next step per key person with a gap, ranked.
CALL_PLAN: Final = """query ($c: ID!) { keyPersonMap(companyId: $c) {
  callPlan(first: 10) { rank action score strength why lastContactDays
    keyPerson { id name } who { id name } nearest { id name }
    relationship { tier strength relationship { id } }
    path { strength hops steps { kind relationshipId fromPerson { id } toPerson { id } } } } } }"""

# A customer's reporting lines as a tree; `at` null for now, or a past time.
ORG_CHART: Final = """query ($c: ID!, $at: DateTime) { orgChart(companyId: $c, asOf: $at) {
  people { depth managerId person { id name } } } }"""

PATHS: Final = """query ($a: ID!, $b: ID!, $first: Int = 5, $hops: Int = 4) {
  introductionPaths(fromPersonId: $a, toPersonId: $b, maxHops: $hops, first: $first) {
  strength hops label steps { relationshipId tier strength } people { id name } } }"""

BEST: Final = """query ($p: ID!) { bestIntroductions(toPersonId: $p, maxHops: 3, first: 5) {
  strength hops label steps { relationshipId tier strength } people { id name } } }"""

BEST_TO_COMPANY: Final = """query ($c: ID!) {
  bestIntroductions(toCompanyId: $c, maxHops: 4, first: 5) {
  strength hops label steps { relationshipId tier strength } people { id name } } }"""

HISTORY: Final = """query ($a: ID!, $b: ID!, $first: Int = 100) {
  relationshipHistory(a: $a, b: $b, first: $first) {
  totalCount nodes { id at operation changed before after by reason evidenceKind } } }"""

# The changes of one subject (a relationship, a role or a company), oldest first.
CHANGE_HISTORY: Final = """query ($s: ID!, $first: Int = 100) {
  changeHistory(subjectId: $s, first: $first) {
  totalCount nodes { id at operation changed before after by reason evidenceKind } } }"""

TIMELINE: Final = """query ($c: ID!) { lifecycleTimeline(companyId: $c) {
  stage start end days by reason } }"""

CHANGES: Final = """query ($c: ID!, $from: DateTime!, $to: DateTime!) {
  customerChanges(companyId: $c, from: $from, to: $to) {
  counts { category count }
  changes { category subjectKind subjectId field before after at changes } } }"""

REFERRAL_SUMMARY: Final = """query ($id: ID!) { referralChain(fromId: $id, maxDepth: 6) {
  root { ... on Person { id } ... on Company { id } }
  total value hasMore extraReferrals levels { depth count value } } }"""

REFERRAL_PAGE: Final = """query ($id: ID!) { referralChain(fromId: $id, maxDepth: 6) {
  total value levels { depth count value }
  nodes(first: 20) { nodes { depth date value downstreamCount
    party { ... on Person { id name } ... on Company { id name } } } } } }"""

TOP_REFERRERS: Final = """query ($by: ReferrerOrder!) { topReferrers(by: $by, limit: 10) {
  rank referrals reach value party { ... on Person { id name } ... on Company { id name } } } }"""

LOG_INTERACTION: Final = """mutation ($at: DateTime!, $ours: [ID!]!, $theirs: [ID!]!) {
  logInteraction(input: {kind: MEETING, at: $at, ourPersonIds: $ours, theirPersonIds: $theirs,
                         sentiment: 1, summary: "benchmark meeting"}) { id } }"""

# Companies found by name (characters, pinyin with or without spaces, initials).
COMPANY_SEARCH: Final = """query ($q: String!) { companies(filter: {search: $q}) {
  totalCount nodes { id name status lifecycleStage peopleCount } } }"""

# A page of companies, sorted and filtered (the figures among the fields); `after` a cursor.
COMPANY_PAGE: Final = """query ($first: Int = 20, $after: String, $sort: CompanySort,
                                 $filter: CompanyFilter) {
  companies(first: $first, after: $after, sort: $sort, filter: $filter) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { id name status lifecycleStage createdAt ourRelationshipCount peopleCount } } }"""

# A page of people, sorted and filtered (the figures among the fields); `after` a cursor.
PEOPLE_PAGE: Final = """query ($first: Int = 20, $after: String, $sort: PersonSort,
                                $filter: PersonFilter) {
  people(first: $first, after: $after, sort: $sort, filter: $filter) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { id name createdAt strongestTie relationshipCount } } }"""

# The last page of a sorted list of people, paged backward (`last`, no cursor).
PEOPLE_LAST: Final = """query ($last: Int = 20, $sort: PersonSort) {
  people(last: $last, sort: $sort) {
  totalCount pageInfo { hasPreviousPage startCursor }
  nodes { id name createdAt strongestTie relationshipCount } } }"""

# People and a company fetched again by id through the Node interface.
NODES: Final = """query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id
  ... on Person { name } ... on Company { name } } }"""

# A sync from another system: people by a list of external ids.
PEOPLE_BY_EXTERNAL_IDS: Final = """query ($ids: [String!]!) {
  peopleByExternalIds(externalIds: $ids) { id name externalId } }"""

# A company with its current people.
COMPANY: Final = """query ($c: ID!) { company(id: $c) {
  id name status valueClass lifecycleStage ourRelationshipCount peopleCount
  people { id title buyingRole isKeyPerson person { id name } } } }"""

# A person with their relationships, strongest first.
PERSON: Final = """query ($p: ID!) { person(id: $p) {
  id name strongestTie relationshipCount
  relationships { id tier strength level fromPerson { id name } toPerson { id name } } } }"""

# The tier pyramid of one of our companies' staff.
TIER_PYRAMID: Final = """query ($c: ID!) { tierPyramid(companyId: $c) {
  company { id } teamSize totalContacts
  tiers { tier count share expectedShareLow expectedShareHigh verdict } } }"""

# Customer value classes from deals, with the first page of customers.
VALUE_CLASSES: Final = """{ valueClasses {
  totalRevenue classified unclassified counts { valueClass count }
  customers(first: 20) { totalCount nodes { company { id name } revenue share computedClass
                                            setClass agrees } } } }"""
