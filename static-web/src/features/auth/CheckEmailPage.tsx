import { MailCheck } from "lucide-react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useResendVerification } from "./queries";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClasses } from "../../components/ui/Button";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "./AuthProvider";

export function CheckEmailPage() {
  useTitle("Check your email");
  const [params] = useSearchParams();
  const email = params.get("email") ?? "";
  const { config } = useAuth();
  const [state, setState] = useState<"idle" | "sending" | "sent" | "error">("idle");
  const [error, setError] = useState("");
  const resendVerification = useResendVerification();

  const resend = async () => {
    setState("sending");
    try {
      await resendVerification.mutateAsync(email);
      setState("sent");
    } catch (e) {
      setError(errorMessage(e));
      setState("error");
    }
  };

  return (
    <div className="mx-auto max-w-md py-6 text-center">
      <div className="mx-auto mb-5 flex size-14 items-center justify-center rounded-2xl bg-brand-50 text-brand-600">
        <MailCheck aria-hidden className="size-7" />
      </div>
      <h1 className="text-2xl font-bold tracking-tight text-slate-900">Check your email</h1>
      <p className="mt-3 text-slate-600">
        {email ? (
          <>
            We sent a verification link to <strong className="font-semibold break-all text-slate-900">{email}</strong>.
          </>
        ) : (
          <>We sent you a verification link.</>
        )}{" "}
        Open it to activate your account, then log in. If the address already has an account, the email tells you so
        instead: log in, or reset your password.
      </p>
      {config.authMode === "local" ? (
        <p className="mt-3 text-xs text-slate-500">
          Running locally? Emails are written as .eml files to the <code>outbox</code> folder of the data directory.
        </p>
      ) : null}
      <div className="mt-8 flex flex-col items-center gap-3">
        <Link to="/login" className={buttonClasses("primary", "lg", "w-full sm:w-auto")}>
          Go to log in
        </Link>
        {email ? (
          <Button variant="ghost" onClick={() => void resend()} loading={state === "sending"} disabled={state === "sent"}>
            {state === "sent" ? "Email sent again" : "Resend the email"}
          </Button>
        ) : null}
      </div>
      {state === "sent" ? (
        <Alert tone="success" className="mt-6 text-left">
          If the address needs verifying, a new link is on its way.
        </Alert>
      ) : null}
      {state === "error" ? (
        <Alert tone="error" className="mt-6 text-left" title="Couldn't resend the email">
          {error}
        </Alert>
      ) : null}
    </div>
  );
}
