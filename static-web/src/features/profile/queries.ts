// The signed-in user's profile writes: each answers with the user, who becomes the signed-in user everywhere.
import { useMutation } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { ProfileUpdate } from "../../api/contract";
import { useAuth } from "../auth/AuthProvider";

export function useUpdateProfile() {
  const { setMe } = useAuth();
  return useMutation({ mutationFn: (update: ProfileUpdate) => api.me.update(update), onSuccess: setMe });
}

export function useUploadProfilePhoto() {
  const { setMe } = useAuth();
  return useMutation({ mutationFn: (file: Blob) => api.me.uploadAvatar(file), onSuccess: setMe });
}
