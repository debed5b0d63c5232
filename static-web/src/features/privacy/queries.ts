// Your data: the exports list (polled while one is being built), asking for an export, and the terms' version.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { privacyApi } from "./api";

export const privacyKeys = {
  exports: ["privacy", "exports"] as const,
  terms: ["terms"] as const,
};

export function useExports() {
  return useQuery({
    queryKey: privacyKeys.exports,
    queryFn: privacyApi.exports,
    refetchInterval: (query) => (query.state.data?.items.some((e) => e.status === "building") ? 2000 : false),
  });
}

export function useRequestExport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: privacyApi.requestExport,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: privacyKeys.exports }),
  });
}

export function useTermsVersion() {
  return useQuery({ queryKey: privacyKeys.terms, queryFn: privacyApi.terms, staleTime: Infinity });
}
