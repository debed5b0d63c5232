import { MessageSquarePlus } from "lucide-react";
import { useNextQuestions } from "./queries";

/**
 * Questions to open the next session with (from the summaries of the user's earlier sessions with this clone), as chips:
 * choosing one starts a session with it. Nothing until one of the user's sessions with the clone has been summarized.
 */
export function NextQuestionChips({
  cloneId,
  enabled,
  disabled,
  onAsk,
}: {
  cloneId: string;
  enabled: boolean;
  disabled?: boolean;
  onAsk: (question: string) => void;
}) {
  const query = useNextQuestions(enabled ? cloneId : null);
  const items = query.data?.items ?? [];
  if (!enabled || items.length === 0) return null;
  return (
    <section aria-labelledby="next-questions-heading" className="mt-5 border-t border-slate-100 pt-4" data-testid="next-questions">
      <h3 id="next-questions-heading" className="text-sm font-semibold text-slate-900">
        Pick up where you left off
      </h3>
      <ul className="mt-2 flex flex-wrap gap-2">
        {items.map((q) => (
          <li key={q.topic} className="max-w-full">
            <button
              type="button"
              disabled={disabled}
              onClick={() => onAsk(q.question)}
              className="inline-flex max-w-full items-center gap-1.5 rounded-full bg-brand-50 px-3 py-1.5 text-left text-sm font-medium text-brand-700 ring-1 ring-brand-200 ring-inset transition hover:bg-brand-100 disabled:opacity-50"
            >
              <MessageSquarePlus aria-hidden className="size-4 shrink-0" />
              <span className="min-w-0 break-words">{q.question}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
