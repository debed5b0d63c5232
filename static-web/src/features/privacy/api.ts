// Your data over the typed client: ask for an export, list exports, download one (with the token: a plain link would go
// without it), delete the account, and the terms' current version.
import { dispositionFileName, type Download } from "../../api/http";
import type { components, paths } from "../../api/schema";
import { createApiClient, data } from "../../api/typed";

export type DataExport = components["schemas"]["DataExport"];

const typed = createApiClient<paths>();

export const privacyApi = {
  requestExport: () => data(typed.POST("/api/me/export")),
  exports: () => data(typed.GET("/api/me/exports")),
  download: async (exportId: string): Promise<Download> => {
    const { data: blob, response } = await typed.GET("/api/me/exports/{exportId}/download", {
      params: { path: { exportId }, query: {} },
      headers: { Accept: "application/zip" },
      parseAs: "blob",
    });
    return { blob: blob as Blob, fileName: dispositionFileName(response.headers.get("Content-Disposition")) ?? "cloneai-export.zip" };
  },
  deleteAccount: async (password: string | null) => {
    await data(typed.DELETE("/api/me", { body: password === null ? {} : { password } }));
  },
  terms: () => data(typed.GET("/api/terms")),
};
