/** The shapes of the GraphQL results the page reads (see queries.js and schema.graphql). */

export type Tier = "PASSER_BY" | "ACQUAINTANCE" | "FRIEND" | "CONFIDANT";

export interface Named {
  id: string;
  name: string;
}

export interface CompanyHit extends Named {
  industry: string | null;
  region: string | null;
  lifecycleStage: string | null;
}

export interface OurTie {
  tier: Tier;
  strength: number;
  relationship: { id: string; lastInteractionAt?: string | null };
  ourPerson: Named & { roles: { company: Named & { isOurs: boolean } }[] };
}

export interface KeyPersonEntry {
  isKeyPerson: boolean;
  isExecutive: boolean;
  covered: boolean;
  threads: number;
  desiredTier: Tier | null;
  stance: string | null;
  tierGap: number | null;
  person: Named;
  roles: {
    id: string;
    title: string;
    department: string | null;
    buyingRole: string | null;
    seniority: string | null;
  }[];
  relationships: OurTie[];
}

export interface KeyPersonMap {
  company: CompanyHit & { valueClass: string | null };
  tierWithUs: string | null;
  summary: {
    keyPersons: number;
    covered: number;
    uncovered: number;
    singleThreaded: number;
    coverageRatio: number | null;
    reachesExecutives: boolean;
  };
  entries: KeyPersonEntry[];
}

export interface OrgChartPerson {
  person: { id: string };
  managerId: string | null;
}

export interface KeyPersonMapResult {
  keyPersonMap: KeyPersonMap;
  orgChart: { people: OrgChartPerson[] };
}

export interface ReferralNode {
  party: Named & { __typename: "Company" | "Person" };
  depth: number;
  parentId: string | null;
  date: string | null;
}

export interface ReferralChain {
  total: number;
  hasMore: boolean;
  nodes: { totalCount: number; nodes: ReferralNode[] };
}

export interface ReferralChainsResult {
  upstream: ReferralChain;
  downstream: ReferralChain & { value: number; currency: string };
}

export interface IntroductionPath {
  strength: number;
  hops: number;
  label: "STRONG" | "MODERATE" | "WEAK";
  people: Named[];
  steps: {
    fromPerson: { id: string };
    toPerson: { id: string };
    relationshipId: string;
    tier: Tier;
    strength: number;
  }[];
}

export type CallAction = "DEEPEN" | "REKINDLE" | "INTRODUCE" | "NOBODY_IN_REACH";
export type KeyPersonGap = "UNCOVERED" | "SINGLE_THREADED" | "BELOW_DESIRED_TIER" | "FADING";
export type PathStepKind = "RELATIONSHIP" | "REPORTING_LINE" | "COLLEAGUE";

/** One step of keyPersonMap.callPlan (the contract of issue 20). */
export interface CallStep {
  rank: number;
  action: CallAction;
  keyPerson: Named;
  gaps: KeyPersonGap[];
  who: Named | null;
  relationship: {
    tier: Tier;
    strength: number;
    relationship: { id: string };
    ourPerson: Named;
  } | null;
  lastContactDays: number | null;
  path: {
    strength: number;
    hops: number;
    people: Named[];
    steps: {
      fromPerson: { id: string };
      toPerson: { id: string };
      relationshipId: string | null;
      kind: PathStepKind;
    }[];
  } | null;
  nearest: Named | null;
  score: number;
  why: string;
}

export interface CallPlanResult {
  keyPersonMap: { callPlan: CallStep[] };
}

declare global {
  interface Window {
    /** cytoscape-fcose, loaded as a classic script (its UMD build) before the page's modules. */
    cytoscapeFcose?: import("cytoscape").Ext;
  }
}

export interface PersonDetailsResult {
  person: {
    id: string;
    name: string;
    email: string | null;
    phone: string | null;
    communicationStyle: string | null;
    notes: string | null;
    roles: {
      id: string;
      title: string;
      department: string | null;
      buyingRole: string | null;
      seniority: string | null;
      isKeyPerson: boolean;
      isCurrent: boolean;
      startDate: string | null;
      endDate: string | null;
      desiredTier: Tier | null;
      stance: string | null;
      company: Named & { isOurs: boolean };
    }[];
    relationships: {
      id: string;
      tier: Tier;
      strength: number;
      level: string | null;
      lastInteractionAt: string | null;
      fromPerson: Named;
      toPerson: Named;
    }[];
  } | null;
  interactions: {
    totalCount: number;
    nodes: {
      id: string;
      kind: string;
      at: string;
      summary: string | null;
      sentiment: number;
      ourPeople: { name: string }[];
      theirPeople: { name: string }[];
    }[];
  };
}

/** A cytoscape element definition, as the pure builders in elements.js return them. */
export interface Element {
  group: "nodes" | "edges";
  data: Record<string, string | number | boolean | null> & { id: string };
  position?: { x: number; y: number };
  classes?: string;
}
