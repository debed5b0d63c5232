import { AlertCircle, CheckCircle2, Loader2, UploadCloud } from "lucide-react";
import type { KnowledgeDocument } from "../../api/contract";
import { Badge } from "../../components/ui/Badge";
import { cn } from "../../lib/cn";
import { capitalize } from "../../lib/format";
import { highlightQuery } from "./highlight";

export function ProgressBar({ value, label, className }: { value: number; label: string; className?: string }) {
  const clamped = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
      className={cn("h-1.5 w-full overflow-hidden rounded-full bg-slate-100", className)}
    >
      <div className="h-full rounded-full bg-brand-500 transition-[width] duration-300" style={{ width: `${clamped}%` }} />
    </div>
  );
}

export function stageLabel(doc: Pick<KnowledgeDocument, "stage">): string {
  return doc.stage === "queued" ? "Queued" : capitalize(doc.stage);
}

export function DocumentStatusBadge({ doc }: { doc: KnowledgeDocument }) {
  switch (doc.status) {
    case "ready":
      return (
        <Badge tone="success">
          <CheckCircle2 aria-hidden className="size-3" />
          Ready
        </Badge>
      );
    case "failed":
      return (
        <Badge tone="danger">
          <AlertCircle aria-hidden className="size-3" />
          Failed
        </Badge>
      );
    case "processing":
      return (
        <Badge tone="brand">
          <Loader2 aria-hidden className="size-3 animate-spin" />
          Processing · {stageLabel(doc)} {Math.round(doc.progress)}%
        </Badge>
      );
    default:
      return (
        <Badge>
          <UploadCloud aria-hidden className="size-3" />
          Uploaded
        </Badge>
      );
  }
}

/** `text` with the words of `query` in <mark> elements; always text, never markup. */
export function Highlighted({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlightQuery(text, query).map((piece, i) =>
        piece.match ? (
          <mark key={i} className="rounded-sm bg-amber-200/80 px-0.5 text-slate-900">
            {piece.text}
          </mark>
        ) : (
          <span key={i}>{piece.text}</span>
        ),
      )}
    </>
  );
}

export function headingText(path: string | string[] | null | undefined): string {
  if (!path) return "";
  return Array.isArray(path) ? path.filter(Boolean).join(" › ") : path;
}
