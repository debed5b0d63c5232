import { CheckCircle2, ListChecks } from "lucide-react";
import { useState } from "react";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Loading } from "../../components/ui/States";
import { cn } from "../../lib/cn";
import { formatDate } from "../../lib/format";
import type { ProgressItem } from "./api";
import { useProgress, useTickItem } from "./queries";

/** The signed-in user's checklist with one clone: each goal and action item with a box to tick, and how many are done. */
export function ProgressChecklist({ cloneId, cloneName }: { cloneId: string; cloneName?: string | undefined }) {
  const progress = useProgress(cloneId);
  const tick = useTickItem(cloneId);

  if (progress.isPending) return <Loading label="Loading your checklist…" />;
  if (progress.isError) {
    return (
      <Alert tone="error" title="We couldn't load your checklist">
        <p>{errorMessage(progress.error)}</p>
        <Button variant="outline" size="sm" className="mt-3" onClick={() => void progress.refetch()}>
          Try again
        </Button>
      </Alert>
    );
  }
  const list = progress.data;
  if (list.items.length === 0) {
    return (
      <p className="flex items-start gap-2 text-sm text-slate-600" data-testid="progress-empty">
        <ListChecks aria-hidden className="mt-0.5 size-4 shrink-0 text-slate-400" />
        Nothing to track yet{cloneName ? ` with ${cloneName}` : ""}. Goals you mention in a session and the action items of its summary
        appear here.
      </p>
    );
  }
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700" aria-live="polite" data-testid="progress-counts">
        <span className="font-semibold text-slate-900">{list.done}</span> done · <span className="font-semibold text-slate-900">{list.open}</span> open
      </p>
      {tick.isError ? (
        <Alert tone="error" title="That change wasn't saved">
          <p>{errorMessage(tick.error)}</p>
        </Alert>
      ) : null}
      <ul aria-label="Checklist" className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white">
        {list.items.map((item) => (
          <li key={item.id} data-testid="progress-item" data-done={item.done ? "true" : "false"}>
            <ChecklistRow item={item} onChange={(done, settled) => tick.mutate({ itemId: item.id, done }, { onSettled: settled })} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function ChecklistRow({ item, onChange }: { item: ProgressItem; onChange: (done: boolean, settled: () => void) => void }) {
  const id = `progress-${item.id.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
  // The box follows the click at once: the list's own optimistic change lands a moment later (the mutation starts after a
  // tick), and until then a controlled box would spring back. Once the call is settled the list (ticked, or rolled back) rules.
  const [pending, setPending] = useState<boolean | null>(null);
  const checked = pending ?? item.done;
  return (
    <div className="flex items-start gap-3 px-4 py-3">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => {
          const done = e.target.checked;
          setPending(done);
          onChange(done, () => setPending(null));
        }}
        className="mt-0.5 size-5 shrink-0 cursor-pointer rounded border-slate-300 accent-brand-600"
      />
      <div className="min-w-0 flex-1">
        <label htmlFor={id} className={cn("block cursor-pointer text-sm break-words", item.done ? "text-slate-500 line-through" : "text-slate-900")}>
          {item.text}
        </label>
        <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
          <Badge tone={item.origin === "goal" ? "brand" : "neutral"}>{item.origin === "goal" ? "Goal" : "Action item"}</Badge>
          <span>Added {formatDate(item.createdAt)}</span>
          {item.done && item.doneAt ? (
            <span className="inline-flex items-center gap-1 text-emerald-700">
              <CheckCircle2 aria-hidden className="size-3.5" />
              Done {formatDate(item.doneAt)}
            </span>
          ) : null}
        </p>
      </div>
    </div>
  );
}
