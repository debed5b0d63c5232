import { useState } from "react";
import { Link } from "react-router";
import { Badge, StatusBadge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { PagedListCard } from "../../components/ui/PagedList";
import { PageHeader } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatDate } from "../../lib/format";
import { useTitle } from "../../lib/useTitle";
import type { AdminClone, AdminCloneStatus, CloneAction } from "./api";
import { SearchForm } from "./AdminList";
import { useAdminClones, useCloneAction } from "./queries";
import { ReasonDialog } from "./ReasonDialog";

const PAGE_SIZE = 20;

/** What each action is called, what its dialog says, and whether it takes something away. */
const ACTIONS: Record<CloneAction, { label: string; title: string; description: string; done: string; destructive?: boolean }> = {
  feature: { label: "Feature", title: "Feature this clone?", description: "It comes first in the marketplace, with a Featured label.", done: "Clone featured" },
  unfeature: { label: "Unfeature", title: "Stop featuring this clone?", description: "It takes its usual place in the marketplace.", done: "No longer featured" },
  verify: { label: "Verify", title: "Verify this clone?", description: "It carries the verified badge.", done: "Clone verified" },
  unverify: { label: "Unverify", title: "Take the verification back?", description: "The clone loses its verified badge (an owner who is a verified expert keeps theirs).", done: "Verification taken back" },
  unpublish: {
    label: "Unpublish",
    title: "Unpublish this clone?",
    description: "It leaves the marketplace and becomes a draft; its owner can publish it again.",
    done: "Clone unpublished",
    destructive: true,
  },
};

/** The actions a clone offers in its state: feature or unfeature, verify or unverify, and unpublish while published. */
export function cloneActions(clone: Pick<AdminClone, "status" | "featured" | "verifiedAt">): CloneAction[] {
  const published = clone.status === "published";
  const actions: CloneAction[] = [];
  if (clone.featured) actions.push("unfeature");
  else if (published) actions.push("feature");
  actions.push(clone.verifiedAt ? "unverify" : "verify");
  if (published) actions.push("unpublish");
  return actions;
}

export function AdminClonesPage() {
  useTitle("Clones · Admin");
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<AdminCloneStatus | "">("");
  const list = useAdminClones(q, status, PAGE_SIZE);
  return (
    <div>
      <PageHeader title="Clones" description="Find any clone, drafts included; feature, verify or unpublish it. Every change asks for a reason." />
      <SearchForm label="Find clones" placeholder="Name, address or owner" initial={q} onSearch={setQ}>
        <label className="space-y-1.5">
          <span className="block text-sm font-medium text-slate-800">Status</span>
          <select
            value={status}
            onChange={(e) => setStatus(e.target.value as AdminCloneStatus | "")}
            className="block h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs focus:border-brand-500 focus:outline-none"
          >
            <option value="">Any</option>
            <option value="published">Published</option>
            <option value="draft">Draft</option>
          </select>
        </label>
      </SearchForm>
      <PagedListCard list={list} label="Clones" empty={q ? `No clone matches “${q}”.` : "No clones yet."}>
        {(clone) => <CloneRow clone={clone} />}
      </PagedListCard>
    </div>
  );
}

function CloneRow({ clone }: { clone: AdminClone }) {
  const toast = useToast();
  const act = useCloneAction();
  const [dialog, setDialog] = useState<CloneAction | null>(null);
  return (
    <div className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between sm:p-5">
      <div className="min-w-0">
        <p className="truncate font-semibold text-slate-900">
          {clone.status === "published" ? <Link to={`/clones/${encodeURIComponent(clone.slug)}`} className="hover:underline">{clone.name}</Link> : clone.name}
        </p>
        <p className="truncate text-sm text-slate-500">by {clone.ownerName || "an unnamed owner"} · /{clone.slug}</p>
        <div className="mt-2 flex flex-wrap gap-1.5">
          <StatusBadge status={clone.status} />
          {clone.featured ? <Badge tone="warning">Featured</Badge> : null}
          {clone.verifiedAt ? <Badge tone="success">Verified {formatDate(clone.verifiedAt)}</Badge> : null}
          {clone.ownerVerified ? <Badge tone="success">Verified expert</Badge> : null}
          {clone.hiddenAt ? <Badge tone="danger">Hidden</Badge> : null}
        </div>
        {clone.hiddenAt && clone.hiddenReason ? <p className="mt-1 text-sm break-words text-slate-600">Hidden: {clone.hiddenReason}</p> : null}
      </div>
      <div className="flex shrink-0 flex-wrap gap-2">
        {cloneActions(clone).map((action) => (
          <Button key={action} size="sm" variant={ACTIONS[action].destructive ? "danger" : "outline"} onClick={() => setDialog(action)}>
            {ACTIONS[action].label}
          </Button>
        ))}
      </div>
      {dialog ? (
        <ReasonDialog
          open
          onOpenChange={(o) => !o && setDialog(null)}
          title={ACTIONS[dialog].title}
          description={<>“{clone.name}”: {ACTIONS[dialog].description}</>}
          confirmLabel={ACTIONS[dialog].label}
          destructive={ACTIONS[dialog].destructive}
          onConfirm={async (reason) => {
            await act.mutateAsync({ id: clone.id, action: dialog, reason });
            toast({ title: ACTIONS[dialog].done });
          }}
        />
      ) : null}
    </div>
  );
}
