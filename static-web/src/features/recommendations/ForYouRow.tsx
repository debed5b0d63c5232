import { Sparkles } from "lucide-react";
import { CloneCard } from "../marketplace/CloneCard";
import { useRecommendations } from "./queries";

/**
 * "For you": the signed-in user's recommendations at the top of the marketplace, each card with its reason. Nothing for a
 * signed-out user, while loading, on an error (the marketplace below still works) or when there is nothing to recommend.
 */
export function ForYouRow({ signedIn, categoryName }: { signedIn: boolean; categoryName: (id: string) => string }) {
  const query = useRecommendations(signedIn);
  const items = query.data?.items ?? [];
  if (!signedIn || items.length === 0) return null;
  return (
    <section aria-labelledby="for-you-heading" data-testid="for-you">
      <div className="mb-4 flex items-baseline gap-2">
        <Sparkles aria-hidden className="size-5 self-center text-brand-600" />
        <h2 id="for-you-heading" className="text-lg font-semibold text-slate-900">
          For you
        </h2>
      </div>
      <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {items.map((r) => (
          <li key={r.clone.id} className="flex min-w-0 flex-col gap-2">
            <p className="flex min-w-0 items-center gap-1.5 text-sm text-brand-700" data-testid="for-you-reason">
              <Sparkles aria-hidden className="size-3.5 shrink-0" />
              <span className="truncate" title={r.reason}>
                {r.reason}
              </span>
            </p>
            <div className="min-w-0 flex-1">
              <CloneCard clone={r.clone} categoryName={categoryName(r.clone.category)} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
