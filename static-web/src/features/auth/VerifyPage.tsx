import { CheckCircle2, XCircle } from "lucide-react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { useResendVerification, useVerifyEmail } from "./queries";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClasses } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { Input } from "../../components/ui/Input";
import { Loading } from "../../components/ui/States";
import { useTitle } from "../../lib/useTitle";

type State = { kind: "verifying" } | { kind: "done"; email: string } | { kind: "failed"; message: string };

export function VerifyPage() {
  useTitle("Verify your email");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [state, setState] = useState<State>(
    token ? { kind: "verifying" } : { kind: "failed", message: "This link has no verification token." },
  );
  const started = useRef(false);
  const { mutateAsync: verify } = useVerifyEmail();

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true; // the token is single-use: never post it twice
    verify(token)
      .then((result) => setState({ kind: "done", email: result.email }))
      .catch((e: unknown) => setState({ kind: "failed", message: errorMessage(e) }));
  }, [token, verify]);

  return (
    <div className="mx-auto max-w-md py-6 text-center">
      {state.kind === "verifying" ? <Loading label="Verifying your email…" /> : null}
      {state.kind === "done" ? (
        <>
          <div className="mx-auto mb-5 flex size-14 items-center justify-center rounded-2xl bg-emerald-50 text-emerald-600">
            <CheckCircle2 aria-hidden className="size-7" />
          </div>
          <h1 className="text-2xl font-bold tracking-tight text-slate-900">Your email is verified</h1>
          <p className="mt-3 text-slate-600">
            {state.email ? (
              <>
                <strong className="font-semibold break-all text-slate-900">{state.email}</strong> is confirmed.{" "}
              </>
            ) : null}
            You can log in now.
          </p>
          <Link
            to={`/login${state.email ? `?email=${encodeURIComponent(state.email)}` : ""}`}
            className={buttonClasses("primary", "lg", "mt-8 w-full sm:w-auto")}
          >
            Log in
          </Link>
        </>
      ) : null}
      {state.kind === "failed" ? (
        <>
          <div className="mx-auto mb-5 flex size-14 items-center justify-center rounded-2xl bg-red-50 text-red-600">
            <XCircle aria-hidden className="size-7" />
          </div>
          <h1 className="text-2xl font-bold tracking-tight text-slate-900">We couldn't verify your email</h1>
          <p className="mt-3 text-slate-600">{state.message}</p>
          <p className="mt-1 text-sm text-slate-500">Links expire after a while and work only once. Ask for a new one below.</p>
          <ResendForm />
        </>
      ) : null}
    </div>
  );
}

function ResendForm() {
  const [email, setEmail] = useState("");
  const [state, setState] = useState<"idle" | "sending" | "sent" | "error">("idle");
  const [error, setError] = useState("");
  const resendVerification = useResendVerification();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim()) return;
    setState("sending");
    try {
      await resendVerification.mutateAsync(email.trim());
      setState("sent");
    } catch (e) {
      setError(errorMessage(e));
      setState("error");
    }
  };
  return (
    <form onSubmit={onSubmit} className="mt-8 space-y-4 rounded-2xl border border-slate-200 bg-white p-6 text-left shadow-sm">
      <Field label="Email">
        {(p) => <Input {...p} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />}
      </Field>
      <Button type="submit" className="w-full" loading={state === "sending"}>
        Send a new link
      </Button>
      {state === "sent" ? <Alert tone="success">If that address has an unverified account, a new link is on its way.</Alert> : null}
      {state === "error" ? <Alert tone="error">{error}</Alert> : null}
    </form>
  );
}
