// @ts-check
/**
 * The GraphQL operations the page runs: all of it is the public API (schema.graphql).
 * Each is tagged with a GraphQL comment so that graphql-codegen finds it (../codegen.yml): their
 * result types are generated into graphql.d.ts, their ids into documents.js and the manifest
 * of documents the server trusts (../trusted-documents.json). After changing one, or the
 * schema, run `npm run codegen` in ui/ and commit what it writes: `make check` fails until then.
 */

/** Asks nothing: whether the server takes the token. */
export const PING = /* GraphQL */ `query Ping { __typename }`;

export const FIND_CUSTOMERS = /* GraphQL */ `
query FindCustomers($search: String) {
  companies(first: 12, filter: { search: $search, isOurs: false }, sort: { field: NAME }) {
    nodes { id name industry region lifecycleStage }
  }
}`;

export const COMPANY = /* GraphQL */ `
query Company($id: ID!) {
  company(id: $id) { id name }
}`;

export const KEY_PERSON_MAP = /* GraphQL */ `
query KeyPersonMap($companyId: ID!, $asOf: DateTime) {
  keyPersonMap(companyId: $companyId, everyone: true, asOf: $asOf) {
    company { id name industry region lifecycleStage valueClass }
    tierWithUs
    summary { keyPersons covered uncovered singleThreaded coverageRatio reachesExecutives }
    entries {
      isKeyPerson isExecutive covered threads desiredTier stance tierGap
      person { id name }
      roles { id title department buyingRole seniority }
      relationships {
        tier strength
        relationship { id lastInteractionAt }
        ourPerson { id name roles(includePast: false) { company { id name isOurs } } }
      }
    }
  }
  orgChart(companyId: $companyId) { people { person { id } managerId } }
}`;

/** The next calls at a customer (today's map only), ranked across the account. */
export const CALL_PLAN = /* GraphQL */ `
query CallPlan($companyId: ID!) {
  keyPersonMap(companyId: $companyId) {
    callPlan(first: 10) {
      rank action gaps score why lastContactDays
      keyPerson { id name }
      who { id name }
      nearest { id name }
      relationship { tier strength relationship { id } ourPerson { id name } }
      path {
        strength hops
        people { id name }
        steps { fromPerson { id } toPerson { id } relationshipId kind }
      }
    }
  }
}`;

export const LIFECYCLE = /* GraphQL */ `
query Lifecycle($companyId: ID!) {
  lifecycleTimeline(companyId: $companyId) { start }
}`;

export const PERSON_DETAILS = /* GraphQL */ `
query PersonDetails($id: ID!) {
  person(id: $id) {
    id name email phone communicationStyle notes
    roles {
      id title department buyingRole seniority isKeyPerson isCurrent startDate endDate
      desiredTier stance company { id name isOurs }
    }
    relationships { id tier strength level lastInteractionAt fromPerson { id name } toPerson { id name } }
  }
  interactions(filter: { personId: $id }, first: 5) {
    totalCount
    nodes { id kind at summary sentiment ourPeople { name } theirPeople { name } }
  }
}`;

export const REFERRAL_CHAINS = /* GraphQL */ `
query ReferralChains($id: ID!) {
  upstream: referralChain(fromId: $id, direction: UPSTREAM) {
    total hasMore
    nodes(first: 100) {
      totalCount
      nodes {
        party { __typename ... on Company { id name } ... on Person { id name } }
        depth parentId date
      }
    }
  }
  downstream: referralChain(fromId: $id, direction: DOWNSTREAM) {
    total hasMore value currency
    nodes(first: 100) {
      totalCount
      nodes {
        party { __typename ... on Company { id name } ... on Person { id name } }
        depth parentId date
      }
    }
  }
}`;

export const BEST_INTRODUCTIONS = /* GraphQL */ `
query BestIntroductions($toPersonId: ID!) {
  bestIntroductions(toPersonId: $toPersonId, first: 3) {
    strength hops label
    people { id name }
    steps { fromPerson { id } toPerson { id } relationshipId tier strength }
  }
}`;
