import { BadgeCheck } from "lucide-react";
import { useState, type FormEvent } from "react";
import { ApiError } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { errorsFor, FormProblem } from "../../components/ui/FormProblem";
import { Textarea } from "../../components/ui/Input";
import { Card } from "../../components/ui/States";
import { formatDate } from "../../lib/format";
import { MAX_LINKS, MAX_STATEMENT, parseLinks, verificationErrors } from "./moderation";
import { useMyVerification, useRequestVerification } from "./queries";
import { VerifiedBadge } from "./VerifiedBadge";

/** In Studio: the creator's verified status, their latest request, and the form to ask (again). */
export function VerificationSection() {
  const mine = useMyVerification();
  const [asking, setAsking] = useState(false);
  const v = mine.data;
  if (!v) return null;
  const latest = v.latest;
  return (
    <Card className="p-5" >
      <section aria-labelledby="verification-heading" className="space-y-3 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <BadgeCheck aria-hidden className="size-5 text-sky-600" />
          <h2 id="verification-heading" className="text-base font-semibold text-slate-900">
            Verified expert
          </h2>
          {v.verified ? <VerifiedBadge kind="creator" /> : null}
        </div>
        {v.verified ? (
          <p className="text-slate-600">You are a verified expert{v.verifiedAt ? ` since ${formatDate(v.verifiedAt)}` : ""}. Your profile and all your clones carry the Verified badge.</p>
        ) : latest?.status === "pending" ? (
          <p className="text-slate-600" data-testid="verification-status">
            Your request of {formatDate(latest.createdAt)} is waiting for review. We will email you the decision.
          </p>
        ) : (
          <>
            {latest?.status === "rejected" ? (
              <Alert tone="error" title="Your last request was not approved">
                <span className="break-words">Reviewer's note: {latest.decisionReason}</span>
              </Alert>
            ) : (
              <p className="text-slate-600">Show people your clones speak for a real expert: send links that show who you are, and a short statement.</p>
            )}
            {asking ? <RequestForm onDone={() => setAsking(false)} /> : <Button size="sm" onClick={() => setAsking(true)}>Request verification</Button>}
          </>
        )}
      </section>
    </Card>
  );
}

function RequestForm({ onDone }: { onDone: () => void }) {
  const [links, setLinks] = useState("");
  const [statement, setStatement] = useState("");
  const [error, setError] = useState<unknown>(null);
  const request = useRequestVerification();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseLinks(links);
    const errors = verificationErrors(parsed, statement);
    if (Object.keys(errors).length) {
      setError(new ApiError({ status: 400, title: "Check the request", detail: "", errors }));
      return;
    }
    setError(null);
    try {
      await request.mutateAsync({ links: parsed, statement: statement.trim() });
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="space-y-4">
      <FormProblem error={error} shownFields={["links", "statement"]} />
      <Field label="Evidence links" hint={`One http(s) link a line, up to ${MAX_LINKS}: your website, publications, a professional profile.`} error={errorsFor(error, "links")}>
        {(props) => <Textarea {...props} rows={3} value={links} onChange={(e) => setLinks(e.target.value)} placeholder="https://" />}
      </Field>
      <Field label="Statement" hint={`Who you are and why your clones speak for you (20 to ${MAX_STATEMENT} characters).`} error={errorsFor(error, "statement")}>
        {(props) => <Textarea {...props} rows={4} value={statement} maxLength={MAX_STATEMENT} onChange={(e) => setStatement(e.target.value)} />}
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" loading={request.isPending}>
          Send request
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
