import { Flag } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Link, useLocation } from "react-router";
import { ApiError } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClasses, type ButtonSize, type ButtonVariant } from "../../components/ui/Button";
import { Modal } from "../../components/ui/Dialog";
import { Field } from "../../components/ui/Field";
import { errorsFor, FormProblem } from "../../components/ui/FormProblem";
import { Textarea } from "../../components/ui/Input";
import { cn } from "../../lib/cn";
import { useAuth } from "../auth/AuthProvider";
import type { ReportReason } from "./api";
import { MAX_DETAILS, REPORT_REASONS, reportBody, reportErrors } from "./moderation";
import { useReportClone } from "./queries";

export interface ReportTarget {
  cloneId: string;
  cloneName: string;
  /** Set to report one answer of the caller's own session. */
  answer?: { sessionId: string; messageId: string };
}

/** A "Report" button that opens the report dialog; signed out, it leads to the login page. */
export function ReportButton({
  target,
  variant = "ghost",
  size = "sm",
  label = "Report",
  className,
}: {
  target: ReportTarget;
  variant?: ButtonVariant;
  size?: ButtonSize;
  label?: string;
  className?: string;
}) {
  const { status } = useAuth();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const what = target.answer ? "this answer" : target.cloneName;
  if (status !== "signedIn")
    return (
      <Link to={`/login?next=${encodeURIComponent(location.pathname)}`} className={buttonClasses(variant, size, className)} aria-label={`Report ${what}`}>
        <Flag aria-hidden className="size-4" />
        {label}
      </Link>
    );
  return (
    <>
      <Button variant={variant} size={size} className={className} onClick={() => setOpen(true)} aria-label={`Report ${what}`}>
        <Flag aria-hidden className="size-4" />
        {label}
      </Button>
      <ReportDialog target={target} open={open} onOpenChange={setOpen} />
    </>
  );
}

export function ReportDialog({ target, open, onOpenChange }: { target: ReportTarget; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title={target.answer ? "Report this answer" : "Report this clone"}
      description={target.answer ? `Tell our moderators what is wrong with this answer from ${target.cloneName}.` : `Tell our moderators what is wrong with ${target.cloneName}.`}
    >
      {open ? <ReportForm target={target} onClose={() => onOpenChange(false)} /> : null}
    </Modal>
  );
}

function ReportForm({ target, onClose }: { target: ReportTarget; onClose: () => void }) {
  const [reason, setReason] = useState<ReportReason | "">("");
  const [details, setDetails] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const report = useReportClone();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors = reportErrors(reason, details);
    if (Object.keys(errors).length > 0 || !reason) {
      setError(new ApiError({ status: 400, title: "Check the report", detail: "", errors }));
      return;
    }
    setError(null);
    try {
      await report.mutateAsync({ cloneId: target.cloneId, input: reportBody(reason, details, target.answer) });
      setSent(true);
    } catch (e) {
      setError(e);
    }
  };

  if (sent)
    return (
      <div className="space-y-4">
        <Alert tone="success" title="Thank you: your report was sent">
          Our moderators review every report. The clone's owner is not told who reported it.
        </Alert>
        <div className="flex justify-end">
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    );

  const reasonErrors = errorsFor(error, "reason");
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="space-y-5">
      <FormProblem error={error} shownFields={["reason", "details"]} />
      <fieldset className="space-y-2" aria-describedby={reasonErrors.length ? "report-reason-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">Reason</legend>
        {REPORT_REASONS.map((r) => (
          <label
            key={r.value}
            className={cn(
              "flex cursor-pointer items-start gap-3 rounded-xl border px-3 py-2.5 text-sm",
              reason === r.value ? "border-brand-300 bg-brand-50" : "border-slate-200 hover:bg-slate-50",
            )}
          >
            <input
              type="radio"
              name="report-reason"
              value={r.value}
              checked={reason === r.value}
              onChange={() => setReason(r.value)}
              className="mt-0.5 accent-brand-600"
            />
            <span>
              <span className="block font-medium text-slate-900">{r.label}</span>
              <span className="block text-slate-600">{r.hint}</span>
            </span>
          </label>
        ))}
        {reasonErrors.map((m, i) => (
          <p key={i} id="report-reason-error" role="alert" className="text-xs font-medium text-red-600">
            {m}
          </p>
        ))}
      </fieldset>
      <Field
        label="What is wrong?"
        labelNote={reason === "other" ? undefined : "Optional"}
        hint={`${details.length}/${MAX_DETAILS} characters. Moderators read this; the owner does not.`}
        error={errorsFor(error, "details")}
      >
        {(props) => <Textarea {...props} rows={4} value={details} maxLength={MAX_DETAILS} onChange={(e) => setDetails(e.target.value)} />}
      </Field>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" loading={report.isPending}>
          Send report
        </Button>
      </div>
    </form>
  );
}
