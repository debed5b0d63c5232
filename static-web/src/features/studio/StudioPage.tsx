import * as Tabs from "@radix-ui/react-tabs";
import { Banknote, BarChart3, ExternalLink, LayoutDashboard, Pencil, Plus } from "lucide-react";
import { useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Avatar } from "../../components/ui/Avatar";
import { Badge, StatusBadge } from "../../components/ui/Badge";
import { VerificationSection } from "../moderation/VerificationSection";
import { VerifiedBadge } from "../moderation/VerifiedBadge";
import { Button, buttonClasses } from "../../components/ui/Button";
import { EmptyState, Loading, PageHeader } from "../../components/ui/States";
import { formatDate } from "../../lib/format";
import { headlinePrice } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import { useMyClones } from "../clones/queries";
import { TryItButton } from "./TryItButton";

const PAGE_SIZE = 20;
type Filter = "all" | "published" | "draft";

export function StudioPage() {
  useTitle("Studio");
  const { me } = useAuth();
  const isCreator = !!me && (me.isCreator || me.isAdmin || me.roles.includes("creator"));
  if (!isCreator) return <CreatorsOnly />;
  return <CloneList />;
}

export function CreatorsOnly() {
  return (
    <EmptyState
      icon={<LayoutDashboard className="size-6" />}
      title="The Studio is for creators"
      action={
        <Link to="/become-creator" className={buttonClasses("primary")}>
          Become a creator
        </Link>
      }
    >
      Become a creator to build, price and publish your own AI clones.
    </EmptyState>
  );
}

function CloneList() {
  const list = useMyClones(PAGE_SIZE);
  const { token, error, loadingMore, loadMore } = list;
  // null: nothing to show yet (loading, or the first page failed).
  const items = list.loading || (error && list.items.length === 0) ? null : list.items;
  const [filter, setFilter] = useState<Filter>("all");

  const counts = {
    all: items?.length ?? 0,
    published: items?.filter((c) => c.status === "published").length ?? 0,
    draft: items?.filter((c) => c.status !== "published").length ?? 0,
  };
  const shown = (items ?? []).filter((c) => filter === "all" || (filter === "draft" ? c.status !== "published" : c.status === filter));

  return (
    <div>
      <PageHeader
        title="Studio"
        description="Build, price and publish your AI clones."
        actions={
          <>
            <Link to="/dashboard" className={buttonClasses("outline")}>
              <BarChart3 aria-hidden className="size-4" />
              Dashboard
            </Link>
            <Link to="/earnings" className={buttonClasses("outline")}>
              <Banknote aria-hidden className="size-4" />
              Earnings
            </Link>
            <Link to="/studio/new" className={buttonClasses("primary")}>
              <Plus aria-hidden className="size-4" />
              New clone
            </Link>
          </>
        }
      />
      <div className="mb-6">
        <VerificationSection />
      </div>

      {error && !items ? (
        <Alert tone="error" title="We couldn't load your clones">
          <p>{errorMessage(error)}</p>
          <Button variant="outline" size="sm" className="mt-3" onClick={list.reload}>
            Try again
          </Button>
        </Alert>
      ) : items === null ? (
        <Loading label="Loading your clones…" />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<Plus className="size-6" />}
          title="You haven't created a clone yet"
          action={
            <Link to="/studio/new" className={buttonClasses("primary")}>
              Create your first clone
            </Link>
          }
        >
          Give it a name, a persona and a price. It stays a draft until you publish it.
        </EmptyState>
      ) : (
        <Tabs.Root value={filter} onValueChange={(v) => setFilter(v as Filter)}>
          <Tabs.List aria-label="Filter clones by status" className="mb-4 inline-flex rounded-xl bg-slate-100 p-1">
            {(["all", "published", "draft"] as const).map((value) => (
              <Tabs.Trigger
                key={value}
                value={value}
                className="rounded-lg px-3 py-1.5 text-sm font-medium text-slate-600 transition data-[state=active]:bg-white data-[state=active]:text-slate-900 data-[state=active]:shadow-sm"
              >
                {value === "all" ? "All" : value === "published" ? "Published" : "Drafts"}{" "}
                <span className="text-slate-500">{counts[value]}</span>
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          <Tabs.Content value={filter} className="outline-none">
            {shown.length === 0 ? (
              <p className="rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">
                {filter === "published" ? "None of your clones is published yet." : "No drafts."}
              </p>
            ) : (
              <ul className="divide-y divide-slate-100 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-xs">
                {shown.map((clone) => (
                  <li key={clone.id} className="flex flex-col gap-4 p-4 sm:flex-row sm:items-center sm:p-5">
                    <div className="flex min-w-0 flex-1 items-center gap-4">
                      <Avatar name={clone.name} seed={clone.id} src={clone.avatarUrl} square className="size-12 text-base" />
                      <div className="min-w-0">
                        <div className="flex flex-wrap items-center gap-2">
                          <Link to={`/studio/${encodeURIComponent(clone.id)}`} className="truncate font-semibold text-slate-900 hover:text-brand-700">
                            {clone.name}
                          </Link>
                          <StatusBadge status={clone.status} />
                          {clone.hiddenAt ? <Badge tone="warning">Hidden by moderation</Badge> : null}
                          {clone.verified ? <VerifiedBadge kind="clone" /> : null}
                        </div>
                        <p className="truncate text-sm text-slate-500">{clone.tagline || "No tagline"}</p>
                        <p className="mt-0.5 text-xs text-slate-500">
                          {headlinePrice(clone.pricing)} · Updated {formatDate(clone.updatedAt)}
                        </p>
                      </div>
                    </div>
                    <div className="flex flex-wrap gap-2 sm:shrink-0">
                      <Link
                        to={`/studio/${encodeURIComponent(clone.id)}`}
                        className={buttonClasses("outline", "sm")}
                        aria-label={`Edit ${clone.name}`}
                      >
                        <Pencil aria-hidden className="size-4" />
                        Edit
                      </Link>
                      <TryItButton clone={clone} />
                      <Link
                        to={`/clones/${encodeURIComponent(clone.slug)}`}
                        className={buttonClasses("ghost", "sm")}
                        aria-label={`View ${clone.name}`}
                      >
                        <ExternalLink aria-hidden className="size-4" />
                        View
                      </Link>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Tabs.Content>
          {token ? (
            <div className="mt-6 flex justify-center">
              <Button variant="outline" loading={loadingMore} onClick={() => void loadMore()}>
                Load more
              </Button>
            </div>
          ) : null}
        </Tabs.Root>
      )}
    </div>
  );
}
