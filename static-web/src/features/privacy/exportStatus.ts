// What the "Your data" section says about the newest export.
import type { DataExport } from "./api";

export interface ExportView {
  /** One sentence for the user. */
  text: string;
  /** Whether a download button is offered. */
  downloadable: boolean;
  /** Whether the list should be polled (an export is being built). */
  building: boolean;
}

export function exportView(latest: DataExport | undefined, formatDate: (iso: string) => string): ExportView {
  if (!latest) return { text: "You have not exported your data yet.", downloadable: false, building: false };
  switch (latest.status) {
    case "building":
      return { text: "Your export is being built. We will email you a link when it is ready.", downloadable: false, building: true };
    case "ready":
      return {
        text: `Your export is ready${latest.expiresAt ? `; the link works until ${formatDate(latest.expiresAt)}` : ""}.`,
        downloadable: latest.downloadUrl != null,
        building: false,
      };
    case "failed":
      return { text: "Your last export could not be built. Ask for a new one.", downloadable: false, building: false };
    default:
      return { text: "Your last export has expired and was deleted. Ask for a new one.", downloadable: false, building: false };
  }
}
