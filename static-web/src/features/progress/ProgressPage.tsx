import { useQuery } from "@tanstack/react-query";
import { ListChecks } from "lucide-react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { buttonClasses } from "../../components/ui/Button";
import { Card, EmptyState, Loading, PageHeader } from "../../components/ui/States";
import { controlClasses } from "../../components/ui/Input";
import { cn } from "../../lib/cn";
import { useTitle } from "../../lib/useTitle";
import { ProgressChecklist } from "./ProgressChecklist";

export interface CloneChoice {
  id: string;
  name: string;
}

/** The clones of the user's sessions, most recent first, each once. */
export function clonesOf(sessions: { cloneId: string; cloneName: string }[]): CloneChoice[] {
  const seen = new Map<string, CloneChoice>();
  for (const s of sessions) if (!seen.has(s.cloneId)) seen.set(s.cloneId, { id: s.cloneId, name: s.cloneName });
  return [...seen.values()];
}

/** /progress?clone=ID: the checklist with one of the clones the user has talked to, picked from a list. */
export function ProgressPage() {
  useTitle("Your progress");
  const [params, setParams] = useSearchParams();
  const sessions = useQuery({ queryKey: ["progress", "clones"], queryFn: () => api.sessions.list(50) });
  const clones = clonesOf(sessions.data?.items ?? []);
  const asked = params.get("clone");
  const cloneId = asked ?? clones[0]?.id ?? null;
  const cloneName = clones.find((c) => c.id === cloneId)?.name;
  const choices = cloneId && !clones.some((c) => c.id === cloneId) ? [{ id: cloneId, name: "This clone" }, ...clones] : clones;

  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="Your progress"
        description="Goals you told a clone about and the action items from your session summaries. Tick them off as you go; only you see this list."
      />
      {sessions.isPending ? (
        <Loading label="Loading your clones…" />
      ) : sessions.isError ? (
        <Alert tone="error" title="We couldn't load your clones">
          <p>{errorMessage(sessions.error)}</p>
        </Alert>
      ) : choices.length === 0 ? (
        <EmptyState
          icon={<ListChecks className="size-6" />}
          title="Nothing to track yet"
          action={
            <Link to="/" className={buttonClasses("primary")}>
              Find a clone to talk to
            </Link>
          }
        >
          Talk to a clone about what you want to achieve: your goals and the session's action items show up here.
        </EmptyState>
      ) : (
        <Card className="space-y-5 p-5 sm:p-8">
          <div className="space-y-1.5">
            <label htmlFor="progress-clone" className="text-sm font-medium text-slate-800">
              Clone
            </label>
            <select
              id="progress-clone"
              value={cloneId ?? ""}
              onChange={(e) => setParams({ clone: e.target.value }, { replace: true })}
              className={cn(controlClasses, "h-10 w-full")}
            >
              {choices.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          {cloneId ? <ProgressChecklist key={cloneId} cloneId={cloneId} cloneName={cloneName} /> : null}
        </Card>
      )}
    </div>
  );
}
