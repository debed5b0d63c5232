// The dashboard through the data layer: one query per clone (or all clones) and period.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { dashboardApi, type DashboardRange } from "./api";

export const dashboardKeys = {
  clone: (idOrSlug: string, range: DashboardRange) => ["dashboard", "clone", idOrSlug, range] as const,
  mine: (range: DashboardRange) => ["dashboard", "mine", range] as const,
};

/** A clone's dashboard; the previous period's figures stay on screen while another period loads. */
export function useCloneDashboard(idOrSlug: string, range: DashboardRange) {
  return useQuery({
    queryKey: dashboardKeys.clone(idOrSlug, range),
    queryFn: () => dashboardApi.clone(idOrSlug, range),
    placeholderData: keepPreviousData,
  });
}

/** All of the signed-in creator's clones together. */
export function useMyDashboard(range: DashboardRange) {
  return useQuery({ queryKey: dashboardKeys.mine(range), queryFn: () => dashboardApi.mine(range), placeholderData: keepPreviousData });
}
