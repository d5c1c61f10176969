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
  entries { person { id name } roles { title seniority buyingRole }
            relationships { tier strength level lastUpdated isStrongest ourPerson { id name } } }
  mismatches { rule reason } } }"""

PATHS: Final = """query ($a: ID!, $b: ID!, $first: Int = 5) {
  introductionPaths(fromPersonId: $a, toPersonId: $b, maxHops: 4, first: $first) {
  strength hops label steps { tier strength } people { id name } } }"""

BEST: Final = """query ($p: ID!) { bestIntroductions(toPersonId: $p, maxHops: 3, first: 5) {
  strength hops label steps { tier strength } people { id name } } }"""

HISTORY: Final = """query ($a: ID!, $b: ID!, $first: Int = 100) {
  relationshipHistory(a: $a, b: $b, first: $first) {
  totalCount nodes { at operation changed before after by reason evidenceKind } } }"""

TIMELINE: Final = """query ($c: ID!) { lifecycleTimeline(companyId: $c) {
  stage start end days by reason } }"""

CHANGES: Final = """query ($c: ID!, $from: DateTime!, $to: DateTime!) {
  customerChanges(companyId: $c, from: $from, to: $to) {
  counts { category count }
  changes { category subjectKind subjectId field before after at changes } } }"""

REFERRAL_SUMMARY: Final = """query ($id: ID!) { referralChain(fromId: $id, maxDepth: 6) {
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
