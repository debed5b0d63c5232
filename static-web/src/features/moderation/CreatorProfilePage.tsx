import { UserRound } from "lucide-react";
import { Link, useParams } from "react-router";
import { ApiError, errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { buttonClasses } from "../../components/ui/Button";
import { EmptyState, Loading } from "../../components/ui/States";
import { useTitle } from "../../lib/useTitle";
import { useCategories } from "../clones/queries";
import { CloneCard } from "../marketplace/CloneCard";
import { useCreator } from "./queries";
import { VerifiedBadge } from "./VerifiedBadge";

/** A creator's public page: who they are, whether they are a verified expert, and their clones on the marketplace. */
export function CreatorProfilePage() {
  const { id = "" } = useParams();
  const query = useCreator(id);
  const { categoryName } = useCategories();
  const creator = query.data;
  useTitle(creator?.displayName ?? "Creator");
  if (query.isLoading) return <Loading />;
  if (query.error || !creator) {
    if (query.error instanceof ApiError && query.error.status === 404)
      return (
        <EmptyState
          icon={<UserRound className="size-6" />}
          title="No such creator"
          action={
            <Link to="/" className={buttonClasses("primary")}>
              Go to the marketplace
            </Link>
          }
        >
          The link may be old, or the creator has no public profile.
        </EmptyState>
      );
    return <Alert tone="error" title="We couldn't load this creator">{errorMessage(query.error)}</Alert>;
  }
  return (
    <div className="space-y-8">
      <section className="rounded-2xl border border-slate-200 bg-white p-6 shadow-xs sm:p-8">
        <div className="flex flex-col gap-5 sm:flex-row sm:items-start">
          <Avatar name={creator.displayName} seed={creator.id} src={creator.avatarUrl} className="size-20 text-2xl" alt={`Picture of ${creator.displayName}`} />
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="min-w-0 text-2xl font-bold tracking-tight wrap-anywhere text-slate-900 sm:text-3xl">{creator.displayName}</h1>
              {creator.verified ? <VerifiedBadge kind="creator" /> : null}
            </div>
            <p className="mt-1 text-sm text-slate-500">Creator on CloneAI</p>
            {creator.bio ? (
              <p className="mt-4 text-[0.95rem] leading-relaxed wrap-anywhere whitespace-pre-wrap text-slate-700">{creator.bio}</p>
            ) : (
              <p className="mt-4 text-sm text-slate-500">No bio yet.</p>
            )}
            {creator.expertise.length ? (
              <div className="mt-4">
                <h2 className="text-sm font-semibold text-slate-900">Expertise</h2>
                <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="Expertise">
                  {creator.expertise.map((e) => (
                    <li key={e}>
                      <Badge tone="brand">{e}</Badge>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        </div>
      </section>
      <section aria-labelledby="creator-clones">
        <h2 id="creator-clones" className="mb-4 text-lg font-semibold wrap-anywhere text-slate-900">
          Clones by {creator.displayName}
        </h2>
        {creator.clones.length === 0 ? (
          <p className="text-sm text-slate-600">No clones on the marketplace yet.</p>
        ) : (
          <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {creator.clones.map((c) => (
              <li key={c.id}>
                <CloneCard clone={c} categoryName={categoryName(c.category)} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
