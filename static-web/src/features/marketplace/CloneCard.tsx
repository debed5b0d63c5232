import { MessageCircle, Star } from "lucide-react";
import { Link } from "react-router";
import type { Clone } from "../../api/contract";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { headlinePrice } from "../../lib/money";

export function CloneCard({ clone, categoryName }: { clone: Clone; categoryName: string }) {
  return (
    <article className="group relative flex h-full flex-col rounded-2xl border border-slate-200 bg-white p-5 shadow-xs transition hover:-translate-y-0.5 hover:border-brand-200 hover:shadow-lg hover:shadow-brand-900/5">
      <div className="flex items-start gap-4">
        <Avatar name={clone.name} seed={clone.id} src={clone.avatarUrl} square className="size-14 text-lg" />
        <div className="min-w-0 flex-1">
          <h3 className="truncate text-base font-semibold text-slate-900">
            <Link
              to={`/clones/${encodeURIComponent(clone.slug)}`}
              className="outline-none after:absolute after:inset-0 after:rounded-2xl focus-visible:after:ring-2 focus-visible:after:ring-brand-500"
            >
              {clone.name}
            </Link>
          </h3>
          <p className="truncate text-sm text-slate-500">by {clone.ownerName || "an expert"}</p>
        </div>
      </div>
      <p className="mt-4 line-clamp-2 min-h-10 text-sm leading-5 text-slate-600">
        {clone.tagline || clone.description || "No tagline yet."}
      </p>
      <div className="mt-4 flex flex-wrap gap-1.5">
        {clone.featured ? <Badge tone="warning">Featured</Badge> : null}
        <Badge tone="brand">{categoryName}</Badge>
        {clone.tags.slice(0, 2).map((tag) => (
          <Badge key={tag}>#{tag}</Badge>
        ))}
      </div>
      <div className="mt-auto flex items-center justify-between gap-3 border-t border-slate-100 pt-4 text-sm" style={{ marginTop: "1.25rem" }}>
        <span className="flex items-center gap-3 text-slate-600">
          <span className="flex items-center gap-1" title={clone.ratingCount ? `${clone.ratingCount} ratings` : "No ratings yet"}>
            <Star aria-hidden className={clone.ratingCount ? "size-4 fill-amber-400 text-amber-400" : "size-4 text-slate-300"} />
            <span className="sr-only">Rating: </span>
            {clone.ratingCount ? clone.rating.toFixed(1) : "New"}
          </span>
          <span className="flex items-center gap-1">
            <MessageCircle aria-hidden className="size-4 text-slate-400" />
            <span className="sr-only">Sessions: </span>
            {clone.sessionCount.toLocaleString("en-US")}
          </span>
        </span>
        <span className="font-semibold text-slate-900">{headlinePrice(clone.pricing)}</span>
      </div>
    </article>
  );
}

export function CloneCardSkeleton() {
  return (
    <div aria-hidden className="flex h-full flex-col rounded-2xl border border-slate-200 bg-white p-5">
      <div className="flex items-start gap-4">
        <div className="size-14 animate-pulse rounded-2xl bg-slate-200" />
        <div className="flex-1 space-y-2 pt-1">
          <div className="h-4 w-2/3 animate-pulse rounded bg-slate-200" />
          <div className="h-3 w-1/3 animate-pulse rounded bg-slate-100" />
        </div>
      </div>
      <div className="mt-5 space-y-2">
        <div className="h-3 w-full animate-pulse rounded bg-slate-100" />
        <div className="h-3 w-4/5 animate-pulse rounded bg-slate-100" />
      </div>
      <div className="mt-6 h-5 w-1/2 animate-pulse rounded-full bg-slate-100" />
    </div>
  );
}
