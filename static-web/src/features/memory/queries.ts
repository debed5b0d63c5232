// The Memory page's data: the items (one list for all clones), the clones the user talked to, and each clone's settings.
// Every change invalidates what it touches.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { memoryApi, type CloneStyle, type MemoryKind } from "./api";

export const memoryKeys = {
  all: ["memory"] as const,
  items: ["memory", "items"] as const,
  clones: ["memory", "clones"] as const,
  settings: (cloneId: string) => ["memory", "settings", cloneId] as const,
};

export function useMemories() {
  return useQuery({ queryKey: memoryKeys.items, queryFn: memoryApi.list });
}

export function useTalkedToClones() {
  return useQuery({
    queryKey: memoryKeys.clones,
    queryFn: async () => {
      const page = await memoryApi.recentSessions();
      const seen = new Map<string, string>();
      for (const s of page.items) if (!seen.has(s.cloneId)) seen.set(s.cloneId, s.cloneName);
      return seen;
    },
  });
}

export function useCloneSettings(cloneId: string) {
  return useQuery({ queryKey: memoryKeys.settings(cloneId), queryFn: () => memoryApi.settings(cloneId) });
}

export function useAddMemory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, text, cloneId }: { kind: MemoryKind; text: string; cloneId: string | null }) => memoryApi.add(kind, text, cloneId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: memoryKeys.items }),
  });
}

export function useUpdateMemory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, text }: { id: string; text: string }) => memoryApi.update(id, { text }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: memoryKeys.items }),
  });
}

export function useDeleteMemory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => memoryApi.remove(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: memoryKeys.items }),
  });
}

export function usePutCloneSettings(cloneId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ memoryEnabled, style }: { memoryEnabled: boolean; style: CloneStyle | null }) => memoryApi.putSettings(cloneId, memoryEnabled, style),
    onSuccess: (settings) => queryClient.setQueryData(memoryKeys.settings(cloneId), settings),
  });
}
