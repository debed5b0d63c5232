import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError } from "../../api/http";
import { useSignup } from "./queries";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { FormProblem, errorsFor } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { useTitle } from "../../lib/useTitle";
import { AuthCard, EntraSignIn } from "./AuthCard";
import { useAuth } from "./AuthProvider";

export const MIN_PASSWORD = 10;

export function SignupPage() {
  useTitle("Sign up");
  const { config, me } = useAuth();
  const navigate = useNavigate();
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const signup = useSignup();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string[]> = {};
    if (!displayName.trim()) local.displayName = ["Enter the name people will see."];
    if (!email.trim()) local.email = ["Enter your email address."];
    if (password.length < MIN_PASSWORD) local.password = [`Use at least ${MIN_PASSWORD} characters.`];
    if (Object.keys(local).length) {
      setError(new ApiError({ status: 400, title: "Some fields need attention", detail: "", errors: local }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signup.mutateAsync({ email: email.trim(), password, displayName: displayName.trim() });
      navigate(`/check-email?email=${encodeURIComponent(email.trim())}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && !e.field("email").length) {
        setError(
          new ApiError({ ...e, errors: { ...e.errors, email: ["An account with this email already exists."] } }),
        );
      } else {
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title="Create your account"
      subtitle="Talk to AI clones of real experts — or build your own."
      footer={
        <>
          Already have an account?{" "}
          <Link to="/login" className="font-medium text-brand-600 hover:text-brand-700">
            Log in
          </Link>
        </>
      }
    >
      {me ? (
        <Alert tone="info" title={`You're logged in as ${me.displayName}`}>
          Log out from the account menu to create another account.
        </Alert>
      ) : config.authMode === "entra" ? (
        <EntraSignIn />
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-5">
          <FormProblem error={error} shownFields={["displayName", "email", "password"]} />
          <Field label="Display name" hint="Shown on your profile and on clones you create." error={errorsFor(error, "displayName")}>
            {(p) => (
              <Input {...p} value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" maxLength={80} required />
            )}
          </Field>
          <Field label="Email" error={errorsFor(error, "email")}>
            {(p) => (
              <Input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" inputMode="email" required />
            )}
          </Field>
          <Field label="Password" hint={`At least ${MIN_PASSWORD} characters.`} error={errorsFor(error, "password")}>
            {(p) => (
              <Input {...p} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required />
            )}
          </Field>
          <Button type="submit" size="lg" className="w-full" loading={busy}>
            Create account
          </Button>
          <p className="text-center text-xs text-slate-500">We'll send you an email to confirm your address.</p>
        </form>
      )}
    </AuthCard>
  );
}
