import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { Alert } from "../../components/ui/Alert";
import { useForgotPassword } from "./queries";
import { Button } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { FormProblem, errorsFor } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { useTitle } from "../../lib/useTitle";
import { AuthCard, EntraPasswordNote } from "./AuthCard";
import { useAuth } from "./AuthProvider";

export function ForgotPasswordPage() {
  useTitle("Forgot password");
  const { config } = useAuth();
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const forgot = useForgotPassword();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await forgot.mutateAsync(email.trim());
      setSent(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title="Reset your password"
      subtitle={
        config.authMode === "entra" ? undefined : "Enter your account's email and we'll send you a link to choose a new password."
      }
      footer={
        <Link to="/login" className="font-medium text-brand-600 hover:text-brand-700">
          Back to log in
        </Link>
      }
    >
      {config.authMode === "entra" ? (
        <EntraPasswordNote />
      ) : sent ? (
        <Alert tone="success" title="Check your email">
          If an account exists for <strong className="break-all">{email}</strong>, a reset link is on its way. It works once
          and expires soon.
        </Alert>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-5">
          <FormProblem error={error} shownFields={["email"]} />
          <Field label="Email" error={errorsFor(error, "email")}>
            {(p) => (
              <Input {...p} type="email" autoComplete="email" inputMode="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
            )}
          </Field>
          <Button type="submit" size="lg" className="w-full" loading={busy} disabled={!email.trim()}>
            Send reset link
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
