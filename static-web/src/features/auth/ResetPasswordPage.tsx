import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../../api/http";
import { useResetPassword } from "./queries";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClasses } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { FormProblem, errorsFor } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { useTitle } from "../../lib/useTitle";
import { AuthCard, EntraPasswordNote } from "./AuthCard";
import { useAuth } from "./AuthProvider";
import { MIN_PASSWORD } from "./signupForm";

export function ResetPasswordPage() {
  useTitle("Choose a new password");
  const { config } = useAuth();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reset = useResetPassword();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string[]> = {};
    if (password.length < MIN_PASSWORD) local.password = [`Use at least ${MIN_PASSWORD} characters.`];
    if (confirm !== password) local.confirm = ["The two passwords don't match."];
    if (Object.keys(local).length) {
      setError(new ApiError({ status: 400, title: "Some fields need attention", detail: "", errors: local }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await reset.mutateAsync({ token, password });
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Choose a new password">
      {config.authMode === "entra" ? (
        <EntraPasswordNote />
      ) : !token ? (
        <Alert tone="error" title="This link is incomplete">
          Open the link from the reset email again, or{" "}
          <Link to="/forgot-password" className="font-medium underline">
            ask for a new one
          </Link>
          .
        </Alert>
      ) : done ? (
        <div className="space-y-5">
          <Alert tone="success" title="Your password is changed">
            Log in with your new password.
          </Alert>
          <Link to="/login" className={buttonClasses("primary", "lg", "w-full")}>
            Log in
          </Link>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-5">
          <FormProblem error={error} shownFields={["password", "confirm"]} />
          {errorsFor(error, "token").length ? (
            <p className="text-sm text-slate-600">
              <Link to="/forgot-password" className="font-medium text-brand-600">
                Ask for a new reset link
              </Link>
            </p>
          ) : null}
          <Field label="New password" hint={`At least ${MIN_PASSWORD} characters.`} error={errorsFor(error, "password")}>
            {(p) => (
              <Input {...p} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
            )}
          </Field>
          <Field label="Confirm new password" error={errorsFor(error, "confirm")}>
            {(p) => (
              <Input {...p} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
            )}
          </Field>
          <Button type="submit" size="lg" className="w-full" loading={busy}>
            Set new password
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
