import { useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError, errorMessage } from "../../api/http";
import { useResendVerification } from "./queries";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { FormProblem, errorsFor } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { useTitle } from "../../lib/useTitle";
import { AuthCard, EntraSignIn } from "./AuthCard";
import { useAuth } from "./AuthProvider";
import { safeNext } from "./RequireAuth";

export function LoginPage() {
  useTitle("Log in");
  const { config, login, status: session } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [resend, setResend] = useState<"idle" | "sending" | "sent" | "failed">("idle");
  const resendEmail = useResendVerification();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError(
        new ApiError({
          status: 400,
          title: "Enter your email and password",
          detail: "",
          errors: {
            ...(email.trim() ? {} : { email: ["Enter your email address."] }),
            ...(password ? {} : { password: ["Enter your password."] }),
          },
        }),
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      navigate(next, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const resendVerification = async () => {
    setResend("sending");
    try {
      await resendEmail.mutateAsync(email.trim());
      setResend("sent");
    } catch {
      setResend("failed");
    }
  };

  const status = error instanceof ApiError ? error.status : 0;
  if (session === "signedIn" && !busy) return <Navigate to={next} replace />;

  return (
    <AuthCard
      title="Welcome back"
      subtitle="Log in to talk to clones and manage your own."
      footer={
        config.authMode === "entra" ? undefined : (
        <>
          New to CloneAI?{" "}
          <Link to="/signup" className="font-medium text-brand-600 hover:text-brand-700">
            Create an account
          </Link>
        </>
        )
      }
    >
      {config.authMode === "entra" ? (
        <EntraSignIn />
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-5">
          {status === 401 ? (
            <Alert tone="error" title="Wrong email or password">
              Check both and try again. Forgot it? Reset it below.
            </Alert>
          ) : status === 403 ? (
            <Alert tone="error" title="Verify your email first">
              <p>Open the link we emailed you when you signed up.</p>
              <Button
                variant="outline"
                size="sm"
                className="mt-2"
                loading={resend === "sending"}
                disabled={resend === "sent"}
                onClick={() => void resendVerification()}
              >
                {resend === "sent" ? "Link sent" : "Send the link again"}
              </Button>
              {resend === "failed" ? <p className="mt-1">Couldn't send it. Try again in a moment.</p> : null}
            </Alert>
          ) : status === 423 ? (
            <Alert tone="error" title="Account temporarily locked">
              {error instanceof ApiError && error.detail
                ? error.detail
                : "Too many failed attempts. Wait a few minutes and try again, or reset your password."}
            </Alert>
          ) : error instanceof ApiError && error.status === 400 ? (
            <FormProblem error={error} shownFields={["email", "password"]} />
          ) : error ? (
            <Alert tone="error" title="Couldn't log in">
              {errorMessage(error)}
            </Alert>
          ) : null}
          <Field label="Email" error={errorsFor(error, "email")}>
            {(p) => (
              <Input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" inputMode="email" required />
            )}
          </Field>
          <div className="space-y-1.5">
            <Field label="Password" error={errorsFor(error, "password")}>
              {(p) => (
                <Input {...p} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
              )}
            </Field>
            <div className="text-right">
              <Link to="/forgot-password" className="text-sm font-medium text-brand-600 hover:text-brand-700">
                Forgot password?
              </Link>
            </div>
          </div>
          <Button type="submit" size="lg" className="w-full" loading={busy}>
            Log in
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
