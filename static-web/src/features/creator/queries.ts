// Becoming a creator: the answer is the user with the creator role, who becomes the signed-in user everywhere.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useAuth } from "../auth/AuthProvider";
import { cloneKeys } from "../clones/queries";

export function useBecomeCreator() {
  const { setMe } = useAuth();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.me.becomeCreator(),
    onSuccess: (me) => {
      setMe(me);
      void queryClient.invalidateQueries({ queryKey: cloneKeys.mine });
    },
  });
}
