import { Link } from "react-router";
import { useAuth } from "../auth/AuthProvider";
import { ProgressChecklist } from "./ProgressChecklist";
import { useProgress } from "./queries";

/** On a clone's page, for a signed-in user with something on their checklist with it: the checklist, to tick there. */
export function CloneProgressSection({ cloneId, cloneName }: { cloneId: string; cloneName: string }) {
  const { status } = useAuth();
  const signedIn = status === "signedIn";
  const progress = useProgress(cloneId, signedIn);
  if (!signedIn || !progress.data || progress.data.items.length === 0) return null;
  return (
    <section aria-labelledby="clone-progress-title" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-xs">
      <div className="mb-3 flex items-baseline justify-between gap-2">
        <h2 id="clone-progress-title" className="text-sm font-semibold tracking-wide text-slate-500 uppercase">
          Your progress
        </h2>
        <Link to={`/progress?clone=${encodeURIComponent(cloneId)}`} className="text-sm font-medium text-brand-700 hover:underline">
          Open
        </Link>
      </div>
      <ProgressChecklist cloneId={cloneId} cloneName={cloneName} />
    </section>
  );
}
