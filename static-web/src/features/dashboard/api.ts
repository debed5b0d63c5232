// The creator dashboard's reads: one clone's, or all of the signed-in creator's clones', over a period of whole UTC days.
import type { components, paths } from "../../api/schema";
import { createApiClient, data } from "../../api/typed";

type Schemas = components["schemas"];
export type Dashboard = Schemas["Dashboard"];
export type DashboardDay = Schemas["DashboardDay"];
export type DashboardClone = Schemas["DashboardClone"];
export type QuestionGroup = Schemas["QuestionGroup"];
export type DocumentCitations = Schemas["DocumentCitations"];

/** The period as the API takes it: yyyy-MM-dd, both days included. */
export interface DashboardRange {
  from: string;
  to: string;
}

const typed = createApiClient<paths>();

export const dashboardApi = {
  clone: (idOrSlug: string, range: DashboardRange) =>
    data(typed.GET("/api/clones/{id}/dashboard", { params: { path: { id: idOrSlug }, query: range } })),
  mine: (range: DashboardRange) => data(typed.GET("/api/me/dashboard", { params: { query: range } })),
};
