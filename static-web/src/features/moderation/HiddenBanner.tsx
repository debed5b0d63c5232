import { EyeOff } from "lucide-react";
import type { Clone } from "../../api/contract";
import { formatDateTime } from "../../lib/format";

/** In Studio, on the owner's hidden clone: that it is hidden, why (the reasons, never the reporters), and what happens next. */
export function HiddenBanner({ clone }: { clone: Pick<Clone, "hiddenAt" | "hiddenReason"> }) {
  if (!clone.hiddenAt) return null;
  return (
    <section role="status" aria-label="Hidden from the marketplace" data-testid="hidden-banner" className="rounded-2xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 sm:p-5">
      <div className="flex items-start gap-3">
        <EyeOff aria-hidden className="mt-0.5 size-5 shrink-0 text-amber-600" />
        <div className="min-w-0 space-y-1.5">
          <h2 className="font-semibold">This clone is hidden from the marketplace</h2>
          <p>Since {formatDateTime(clone.hiddenAt)}, people cannot find it in the marketplace, search or recommendations, open its page or start sessions with it.</p>
          {clone.hiddenReason ? (
            <p>
              <span className="font-medium">Why: </span>
              <span className="break-words">{clone.hiddenReason}</span>
            </p>
          ) : null}
          <p>
            <span className="font-medium">What happens next: </span>
            an admin reviews the reports. If they find nothing wrong, the clone is shown again and we email you. You can keep editing it
            meanwhile; changing what was reported helps the review.
          </p>
        </div>
      </div>
    </section>
  );
}
