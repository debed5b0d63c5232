import { Star } from "lucide-react";
import { useState, type FormEvent, type KeyboardEvent } from "react";
import { ApiError } from "../../api/http";
import type { ChatSession } from "../../api/contract";
import { Button } from "../../components/ui/Button";
import { Modal } from "../../components/ui/Dialog";
import { Field } from "../../components/ui/Field";
import { FormProblem, errorsFor } from "../../components/ui/FormProblem";
import { Textarea } from "../../components/ui/Input";
import { cn } from "../../lib/cn";
import { useRateSession } from "./queries";

const STAR_WORDS = ["", "Poor", "Fair", "Good", "Very good", "Excellent"];
const MAX_COMMENT = 1000;

/** 1–5 stars and an optional comment; rating again replaces the earlier rating. */
export function RateDialog({
  session,
  open,
  onOpenChange,
  onRated,
}: {
  session: ChatSession;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onRated: (session: ChatSession) => void;
}) {
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title={session.rating ? "Change your rating" : "Rate this session"}
      description={`How helpful was ${session.cloneName}?`}
    >
      {open ? <RateForm session={session} onDone={(s) => { onRated(s); onOpenChange(false); }} onCancel={() => onOpenChange(false)} /> : null}
    </Modal>
  );
}

function RateForm({ session, onDone, onCancel }: { session: ChatSession; onDone: (s: ChatSession) => void; onCancel: () => void }) {
  const [stars, setStars] = useState(session.rating ?? 0);
  const [hover, setHover] = useState(0);
  const [comment, setComment] = useState(session.ratingComment ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const rate = useRateSession();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (stars < 1) {
      setError(new ApiError({ status: 400, title: "Pick a number of stars", detail: "", errors: { stars: ["Give 1 to 5 stars."] } }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const trimmed = comment.trim();
      onDone(await rate.mutateAsync({ id: session.id, input: trimmed ? { stars, comment: trimmed } : { stars } }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // Arrow keys move through the stars, as in any radio group.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === "ArrowRight" || event.key === "ArrowUp" ? 1 : event.key === "ArrowLeft" || event.key === "ArrowDown" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = Math.min(5, Math.max(1, (stars || (step > 0 ? 0 : 6)) + step));
    setStars(next);
    (event.currentTarget.querySelector(`[data-star="${next}"]`) as HTMLElement | null)?.focus();
  };

  const shown = hover || stars;
  const starErrors = errorsFor(error, "stars");

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <FormProblem error={error} shownFields={["stars", "comment"]} />
      <div className="space-y-1.5">
        <p id="rating-label" className="text-sm font-medium text-slate-800">
          Your rating
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <div
            role="radiogroup"
            aria-labelledby="rating-label"
            aria-invalid={starErrors.length ? true : undefined}
            className="flex items-center gap-1"
            onKeyDown={onKeyDown}
            onMouseLeave={() => setHover(0)}
          >
            {[1, 2, 3, 4, 5].map((n) => (
              <button
                key={n}
                type="button"
                role="radio"
                aria-checked={stars === n}
                aria-label={`${n} star${n === 1 ? "" : "s"}`}
                tabIndex={stars === n || (stars === 0 && n === 1) ? 0 : -1}
                data-star={n}
                onClick={() => setStars(n)}
                onMouseEnter={() => setHover(n)}
                className="rounded-lg p-1 transition-transform hover:scale-110"
              >
                <Star aria-hidden className={cn("size-8", n <= shown ? "fill-amber-400 text-amber-400" : "text-slate-300")} />
              </button>
            ))}
          </div>
          <span className="text-sm text-slate-600" aria-live="polite">
            {shown ? STAR_WORDS[shown] : "Pick 1 to 5 stars"}
          </span>
        </div>
        {starErrors.map((m, i) => (
          <p key={i} role="alert" className="text-xs font-medium text-red-600">
            {m}
          </p>
        ))}
      </div>
      <Field label="Comment" labelNote="Optional" error={errorsFor(error, "comment")} hint={`${comment.length}/${MAX_COMMENT}`}>
        {(p) => (
          <Textarea
            {...p}
            value={comment}
            maxLength={MAX_COMMENT}
            onChange={(e) => setComment(e.target.value)}
            placeholder="What was good, what was missing?"
          />
        )}
      </Field>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="outline" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" loading={busy}>
          Save rating
        </Button>
      </div>
    </form>
  );
}
