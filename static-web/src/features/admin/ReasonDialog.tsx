import { useState, type FormEvent, type ReactNode } from "react";
import { Button } from "../../components/ui/Button";
import { Modal } from "../../components/ui/Dialog";
import { Field } from "../../components/ui/Field";
import { errorsFor, FormProblem } from "../../components/ui/FormProblem";
import { Textarea } from "../../components/ui/Input";
import { checkReason, REASON_MAX } from "./labels";

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

/** Every admin action asks why: the reason goes to the audit log (and, for a user's data, to the user's access log). */
export function ReasonDialog(props: ReasonDialogProps) {
  return (
    <Modal open={props.open} onOpenChange={props.onOpenChange} title={props.title} description={props.description}>
      {props.open ? <ReasonForm {...props} /> : null}
    </Modal>
  );
}

function ReasonForm({ onOpenChange, confirmLabel, destructive, onConfirm, children }: ReasonDialogProps) {
  const [text, setText] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkReason(text);
    setFieldError(checked.error);
    if (checked.reason === null) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(checked.reason);
      onOpenChange(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="space-y-4">
      {children}
      <Field label="Reason" hint="Written to the audit log with your name." error={fieldError ?? errorsFor(error, "reason")}>
        {(control) => (
          <Textarea {...control} value={text} maxLength={REASON_MAX + 100} onChange={(e) => setText(e.target.value)} autoFocus />
        )}
      </Field>
      <FormProblem error={error} shownFields={["reason"]} />
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button type="button" variant="outline" disabled={busy} onClick={() => onOpenChange(false)}>
          Cancel
        </Button>
        <Button type="submit" variant={destructive ? "danger" : "primary"} loading={busy}>
          {confirmLabel}
        </Button>
      </div>
    </form>
  );
}
