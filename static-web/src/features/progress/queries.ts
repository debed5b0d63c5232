// The checklist through the data layer: one query per clone, and a tick that shows at once and is read again after.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { progressApi, type ProgressList } from "./api";

export const progressKeys = {
  all: ["progress"] as const,
  clone: (cloneId: string) => ["progress", cloneId] as const,
};

export function useProgress(cloneId: string | null, enabled = true) {
  return useQuery({
    queryKey: progressKeys.clone(cloneId ?? ""),
    queryFn: ({ signal }) => progressApi.get(cloneId!, signal),
    enabled: enabled && !!cloneId,
  });
}

/** Ticks or unticks an item of the clone's checklist: the list changes at once, and back if the call fails. */
export function useTickItem(cloneId: string) {
  const queryClient = useQueryClient();
  const key = progressKeys.clone(cloneId);
  return useMutation({
    mutationFn: ({ itemId, done }: { itemId: string; done: boolean }) => progressApi.set(itemId, cloneId, done),
    onMutate: async ({ itemId, done }) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<ProgressList>(key);
      if (before) queryClient.setQueryData<ProgressList>(key, withTick(before, itemId, done));
      return { before };
    },
    onError: (_error, _vars, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

/** The list with one item ticked or unticked, and its counts to match. */
export function withTick(list: ProgressList, itemId: string, done: boolean): ProgressList {
  const items = list.items.map((i) => (i.id === itemId ? { ...i, done, doneAt: done ? new Date().toISOString() : null } : i));
  const doneCount = items.filter((i) => i.done).length;
  return { items, done: doneCount, open: items.length - doneCount };
}
