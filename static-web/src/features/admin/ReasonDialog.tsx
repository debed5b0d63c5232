import { useState, type FormEvent, type ReactNode } from "react";
import { Button } from "../../components/ui/Button";
import { Modal } from "../../components/ui/Dialog";
import { Field } from "../../components/ui/Field";
import { errorsFor, FormProblem } from "../../components/ui/FormProblem";
import { Input, Textarea } from "../../components/ui/Input";
import { cn } from "../../lib/cn";
import { checkReason, REASON_MAX } from "./labels";

export interface ReasonFormProps {
  confirmLabel: string;
  destructive?: boolean;
  /** Under the reason field: who reads the reason. */
  hint?: ReactNode;
  /** False: the action takes no reason (a payout's approval asks for its reference instead, in `children`). */
  askReason?: boolean;
  /** Sends the action with the trimmed reason; called only once the reason passes the API's limits. */
  onSubmit: (reason: string) => void;
  onCancel: () => void;
  /** The request's state, shown in the form: its error (per field where the API names one) and whether it is on its way. */
  error: unknown;
  pending: boolean;
  /** The fields whose errors `children` show, besides the reason. */
  fields?: string[];
  /** "inline": a compact form in place of the action's buttons (the moderation queues); "dialog": inside a modal. */
  variant?: "inline" | "dialog";
  /** Anything the action needs besides the reason (for example the roles to set). */
  children?: ReactNode;
}

/**
 * Every admin decision asks why: a reason field (checked here: 1 to 500 characters), the action's own fields, the API's
 * problem, and Cancel / confirm. The reason goes to the audit log (and, for a user's data, to the user's access log).
 */
export function ReasonForm({
  confirmLabel,
  destructive,
  hint = "Written to the audit log with your name.",
  askReason = true,
  onSubmit,
  onCancel,
  error,
  pending,
  fields = [],
  variant = "inline",
  children,
}: ReasonFormProps) {
  const [text, setText] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const inline = variant === "inline";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!askReason) return onSubmit("");
    const checked = checkReason(text);
    setFieldError(checked.error);
    if (checked.reason !== null) onSubmit(checked.reason);
  };

  const cancel = (
    <Button type="button" size={inline ? "sm" : "md"} variant={inline ? "ghost" : "outline"} disabled={!inline && pending} onClick={onCancel}>
      Cancel
    </Button>
  );
  const confirm = (
    <Button type="submit" size={inline ? "sm" : "md"} variant={destructive ? "danger" : "primary"} loading={pending}>
      {confirmLabel}
    </Button>
  );
  return (
    <form onSubmit={submit} noValidate className={inline ? "space-y-3 rounded-xl bg-slate-50 p-3 ring-1 ring-slate-200" : "space-y-4"}>
      {children}
      {askReason ? (
        <Field label="Reason" hint={hint} error={fieldError ?? errorsFor(error, "reason")}>
          {(control) => {
            const props = { ...control, value: text, maxLength: REASON_MAX + 100, onChange: (e: { target: { value: string } }) => setText(e.target.value) };
            return inline ? <Input {...props} autoComplete="off" /> : <Textarea {...props} autoFocus />;
          }}
        </Field>
      ) : null}
      <FormProblem error={error} shownFields={[...fields, ...(askReason ? ["reason"] : [])]} />
      <div className={cn("flex gap-2", inline ? "flex-wrap" : "flex-col-reverse sm:flex-row sm:justify-end")}>
        {inline ? confirm : cancel}
        {inline ? cancel : confirm}
      </div>
    </form>
  );
}

export interface ReasonDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  destructive?: boolean;
  /** Runs the action with the trimmed reason; a thrown error is shown in the dialog, which stays open. */
  onConfirm: (reason: string) => Promise<unknown>;
  /** Anything the action needs besides the reason (for example the roles to set). */
  children?: ReactNode;
}

/** A {@link ReasonForm} in a modal: it closes once the action succeeded. */
export function ReasonDialog(props: ReasonDialogProps) {
  return (
    <Modal open={props.open} onOpenChange={props.onOpenChange} title={props.title} description={props.description}>
      {props.open ? <DialogForm {...props} /> : null}
    </Modal>
  );
}

function DialogForm({ onOpenChange, confirmLabel, destructive, onConfirm, children }: ReasonDialogProps) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (reason: string) => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason);
      onOpenChange(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ReasonForm
      variant="dialog"
      confirmLabel={confirmLabel}
      destructive={destructive}
      onSubmit={(reason) => void run(reason)}
      onCancel={() => onOpenChange(false)}
      error={error}
      pending={busy}
    >
      {children}
    </ReasonForm>
  );
}

/** The two choices of a queue item waiting for a decision (a verification request, a payout); each opens the reason form. */
export function ApproveOrReject({ onPick }: { onPick: (mode: "approve" | "reject") => void }) {
  return (
    <div className="flex flex-wrap gap-2">
      <Button size="sm" onClick={() => onPick("approve")}>
        Approve…
      </Button>
      <Button size="sm" variant="outline" onClick={() => onPick("reject")}>
        Reject…
      </Button>
    </div>
  );
}
