import { BadgeCheck } from "lucide-react";
import { cn } from "../../lib/cn";

/**
 * The Verified badge: visible text (its accessible name) and a tooltip saying what it means. A clone is verified when an admin
 * verified it or its owner is a verified expert; a creator when an admin approved their verification request.
 */
export function VerifiedBadge({ kind, className }: { kind: "clone" | "creator"; className?: string }) {
  const title =
    kind === "creator"
      ? "Verified expert: CloneAI checked this creator's identity and credentials."
      : "Verified: CloneAI checked the expert behind this clone.";
  return (
    <span
      title={title}
      data-testid="verified-badge"
      className={cn(
        "inline-flex shrink-0 items-center gap-1 rounded-full bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-sky-200 ring-inset",
        className,
      )}
    >
      <BadgeCheck aria-hidden className="size-3.5" />
      Verified
      <span className="sr-only">{kind === "creator" ? " expert" : " clone"}</span>
    </span>
  );
}
