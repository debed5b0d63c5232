// Recommendations through the data layer. Both are the signed-in user's own: read only when signed in.
import { useQuery } from "@tanstack/react-query";
import { recommendationsApi } from "./api";

/** How many clones the "For you" row shows. */
export const FOR_YOU_LIMIT = 6;

export const recommendationKeys = {
  mine: (limit: number) => ["me", "recommendations", limit] as const,
  nextQuestions: (idOrSlug: string) => ["me", "next-questions", idOrSlug] as const,
};

export function useRecommendations(enabled: boolean, limit = FOR_YOU_LIMIT) {
  return useQuery({
    queryKey: recommendationKeys.mine(limit),
    queryFn: () => recommendationsApi.mine(limit),
    enabled,
    staleTime: 60_000,
  });
}

export function useNextQuestions(idOrSlug: string | null) {
  return useQuery({
    queryKey: recommendationKeys.nextQuestions(idOrSlug ?? ""),
    queryFn: () => recommendationsApi.nextQuestions(idOrSlug ?? ""),
    enabled: idOrSlug !== null,
    staleTime: 60_000,
  });
}
