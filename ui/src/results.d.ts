/**
 * Names for the parts of the results the page passes around. Each is a piece of an operation's
 * result type, which graphql-codegen generates into graphql.d.ts from schema.graphql and
 * queries.js: nothing here is written by hand, so a query and its types cannot drift apart.
 */
import type {
  BestIntroductionsQuery,
  CallPlanQuery,
  FindCustomersQuery,
  KeyPersonMapQuery,
  PersonDetailsQuery,
  ReferralChainsQuery,
} from "./graphql";

export type {
  BestIntroductionsQuery,
  CallPlanQuery,
  CompanyQuery,
  FindCustomersQuery,
  KeyPersonMapQuery,
  LifecycleQuery,
  PersonDetailsQuery,
  PingQuery,
  ReferralChainsQuery,
} from "./graphql";

export type CompanyHit = FindCustomersQuery["companies"]["nodes"][number];
export type KeyPersonMap = KeyPersonMapQuery["keyPersonMap"];
export type KeyPersonEntry = KeyPersonMap["entries"][number];
export type OrgChartPerson = KeyPersonMapQuery["orgChart"]["people"][number];
export type CallStep = NonNullable<CallPlanQuery["keyPersonMap"]["callPlan"]>[number];
export type ReferralNode = ReferralChainsQuery["upstream"]["nodes"]["nodes"][number];
export type IntroductionPath = BestIntroductionsQuery["bestIntroductions"][number];
export type PersonDetails = NonNullable<PersonDetailsQuery["person"]>;
