import { useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import type { SessionDetail } from "../../api/contract";
import { Button, buttonClasses } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { errorsFor, FormProblem } from "../../components/ui/FormProblem";
import { Textarea } from "../../components/ui/Input";
import { Card, PageHeader } from "../../components/ui/States";
import { formatDateTime } from "../../lib/format";
import { useTitle } from "../../lib/useTitle";
import { checkReason, REASON_MAX } from "./labels";
import { useReadSession } from "./queries";

/**
 * An admin reads a user's conversation: first the reason (required, audit-logged, shown to the user), then the messages.
 * Nothing of the conversation is loaded before the reason is given.
 */
export function AdminSessionPage() {
  useTitle("Read a conversation · Admin");
  const { id = "" } = useParams();
  // The Reports tab links here with a suggested reason (the report it comes from); the admin still reads and sends it.
  const [search] = useSearchParams();
  const read = useReadSession();
  const [text, setText] = useState(() => (search.get("reason") ?? "").slice(0, REASON_MAX));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [detail, setDetail] = useState<SessionDetail | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkReason(text);
    setFieldError(checked.error);
    if (checked.reason === null) return;
    try {
      setDetail(await read.mutateAsync({ sessionId: id, reason: checked.reason }));
    } catch {
      // Shown by FormProblem from read.error.
    }
  };

  if (detail)
    return (
      <div>
        <PageHeader
          title={`Conversation with ${detail.session.cloneName}`}
          description={`Started ${formatDateTime(detail.session.startedAt)} · ${detail.messages.length} messages. This read is in the audit log.`}
          actions={<Link to="/admin/users" className={buttonClasses("outline")}>Back to users</Link>}
        />
        <Card className="overflow-hidden">
          <ol aria-label="Messages" className="divide-y divide-slate-100">
            {detail.messages.map((m) => (
              <li key={m.id} className="p-4 sm:p-5">
                <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
                  {m.role === "user" ? "User" : detail.session.cloneName} · {formatDateTime(m.createdAt)}
                </p>
                <p className="mt-1 text-sm whitespace-pre-wrap text-slate-800">{m.content}</p>
              </li>
            ))}
          </ol>
        </Card>
      </div>
    );

  return (
    <div className="max-w-xl">
      <PageHeader title="Read a conversation" description="Say why you need to read it. The reason goes to the audit log, and the user sees that you read it." />
      <Card className="p-5">
        <p className="mb-4 font-mono text-xs break-all text-slate-500">Session {id}</p>
        <form onSubmit={(e) => void submit(e)} noValidate className="space-y-4">
          <Field label="Reason" hint="For example: report #12 about an answer." error={fieldError ?? errorsFor(read.error, "reason")}>
            {(control) => <Textarea {...control} value={text} maxLength={REASON_MAX + 100} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <FormProblem error={read.error} shownFields={["reason"]} />
          <Button type="submit" loading={read.isPending}>
            Read the conversation
          </Button>
        </form>
      </Card>
    </div>
  );
}
