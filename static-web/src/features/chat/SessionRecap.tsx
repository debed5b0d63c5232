// The summary of an ended session in the chat page: "being written" while the API answers 202, then the summary with its
// key insights, action items and next topics, labelled "Extractive summary" when no language model wrote it. A session that
// gets none (a preview, or one ended before its first question) shows nothing.
import { ListChecks, Sparkles } from "lucide-react";
import type { SessionRecap as Recap } from "../../api/contract";
import { useSessionRecap } from "./queries";

/** The label of a summary: a model's, or the extractive one (quoted from the answers). */
export function recapLabel(method: string): string {
  return method === "model" ? "Session summary" : "Extractive summary";
}

function RecapList({ title, items, testId }: { title: string; items: string[]; testId: string }) {
  if (items.length === 0) return null;
  return (
    <div className="mt-3">
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-700" data-testid={testId}>
        {items.map((item) => (
          <li key={item} className="break-words">
            {item}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RecapView({ recap }: { recap: Recap }) {
  return (
    <section aria-label={recapLabel(recap.method)} data-testid="session-recap" data-method={recap.method} className="rounded-2xl border border-slate-200 bg-white p-4">
      <h2 className="flex items-center gap-1.5 text-sm font-semibold text-slate-900">
        {recap.method === "model" ? <Sparkles aria-hidden className="size-4 text-brand-600" /> : <ListChecks aria-hidden className="size-4 text-brand-600" />}
        <span data-testid="session-recap-label">{recapLabel(recap.method)}</span>
      </h2>
      <p className="mt-2 text-sm break-words text-slate-700" data-testid="session-recap-text">
        {recap.summary}
      </p>
      <RecapList title="Key insights" items={recap.keyInsights} testId="session-recap-insights" />
      <RecapList title="Action items" items={recap.actionItems} testId="session-recap-actions" />
      <RecapList title="Next topics" items={recap.nextTopics} testId="session-recap-topics" />
    </section>
  );
}

export function SessionRecap({ sessionId, ended }: { sessionId: string; ended: boolean }) {
  const { data } = useSessionRecap(sessionId, ended);
  if (!ended || !data) return null;
  if (data.pending) {
    return (
      <p role="status" className="rounded-2xl border border-dashed border-slate-300 bg-white px-4 py-3 text-sm text-slate-600" data-testid="session-recap-pending">
        Writing the summary of this session…
      </p>
    );
  }
  return data.summary ? <RecapView recap={data.summary} /> : null;
}
