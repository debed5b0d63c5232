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
import { MIN_PASSWORD, signupErrors } from "./signupForm";

export function SignupPage() {
  useTitle("Sign up");
  const { config, me } = useAuth();
  const navigate = useNavigate();
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [acceptTerms, setAcceptTerms] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const signup = useSignup();
  const termsErrors = errorsFor(error, "acceptTerms");

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const local = signupErrors({ displayName, email, password, acceptTerms });
    if (Object.keys(local).length) {
      setError(new ApiError({ status: 400, title: "Some fields need attention", detail: "", errors: local }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // 202 whether or not the address already has an account (its owner then gets an email about it instead).
      await signup.mutateAsync({ email: email.trim(), password, displayName: displayName.trim(), acceptTerms });
      navigate(`/check-email?email=${encodeURIComponent(email.trim())}`);
    } catch (e) {
      setError(e);
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
          <FormProblem error={error} shownFields={["displayName", "email", "password", "acceptTerms"]} />
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
          <div className="space-y-1.5">
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                className="mt-0.5 size-4 shrink-0 accent-brand-600"
                checked={acceptTerms}
                onChange={(e) => setAcceptTerms(e.target.checked)}
                aria-invalid={termsErrors.length ? true : undefined}
                aria-describedby={termsErrors.length ? "accept-terms-error" : undefined}
                required
              />
              <span>
                I accept the{" "}
                <Link to="/terms" target="_blank" className="font-medium text-brand-600 underline hover:text-brand-700">
                  Terms
                </Link>{" "}
                and the{" "}
                <Link to="/privacy" target="_blank" className="font-medium text-brand-600 underline hover:text-brand-700">
                  Privacy notice
                </Link>
              </span>
            </label>
            {termsErrors.length ? (
              <p id="accept-terms-error" role="alert" className="text-xs font-medium text-red-600">
                {termsErrors.join(" ")}
              </p>
            ) : null}
          </div>
          <Button type="submit" size="lg" className="w-full" loading={busy}>
            Create account
          </Button>
          <p className="text-center text-xs text-slate-500">We'll send you an email to confirm your address.</p>
        </form>
      )}
    </AuthCard>
  );
}
