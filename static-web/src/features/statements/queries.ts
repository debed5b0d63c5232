// Statements through the data layer: the list, one statement's printable page, and the PDF download (fetched with the
// token, then saved: a plain link would go without it).
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { saveBlob } from "../chat/download";

export const statementKeys = {
  list: ["statements", "list"] as const,
  html: (id: string) => ["statements", "html", id] as const,
};

/** My statements (or invoices), newest first. */
export function useStatements() {
  return useQuery({ queryKey: statementKeys.list, queryFn: () => api.invoices.list() });
}

/** One statement's HTML page, to show in a sandboxed frame. */
export function useStatementHtml(id: string) {
  return useQuery({ queryKey: statementKeys.html(id), queryFn: ({ signal }) => api.invoices.html(id, signal) });
}

/** Downloads a statement's PDF under the file name the API gives. */
export function useDownloadStatementPdf() {
  return useMutation({
    mutationFn: async (id: string) => {
      const file = await api.invoices.pdf(id);
      saveBlob(file.blob, file.fileName);
      return file;
    },
  });
}
