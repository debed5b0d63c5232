import { useState, type ReactNode } from "react";
import { errorMessage } from "../../api/http";
import { LogoMark } from "../../components/layout/Logo";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { useAuth } from "./AuthProvider";

export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="mx-auto w-full max-w-md py-2 sm:py-6">
      <div className="mb-6 flex flex-col items-center text-center">
        <LogoMark className="mb-4 size-11" />
        <h1 className="text-2xl font-bold tracking-tight text-slate-900">{title}</h1>
        {subtitle ? <p className="mt-2 text-sm text-slate-600">{subtitle}</p> : null}
      </div>
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">{children}</div>
      {footer ? <div className="mt-6 text-center text-sm text-slate-600">{footer}</div> : null}
    </div>
  );
}

/** Entra mode's login and sign-up: one button to Microsoft's sign-in page (which also creates accounts). */
export function EntraSignIn() {
  const { config, signInWithMicrosoft, entraError } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!config.entra) {
    return (
      <Alert tone="info" title="Sign-in is through Microsoft Entra">
        This deployment uses Microsoft Entra ID for accounts, but the API has no app registration set yet; ask your
        administrator for access.
      </Alert>
    );
  }

  const signIn = async () => {
    setBusy(true);
    setError(null);
    try {
      await signInWithMicrosoft(); // the page goes to Microsoft
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const shown = error ?? entraError;
  return (
    <div className="space-y-5">
      {shown ? (
        <Alert tone="error" title="Couldn't sign you in">
          {shown}
        </Alert>
      ) : null}
      <p className="text-sm text-slate-600">
        CloneAI accounts are Microsoft accounts here: sign in, or create one, on Microsoft's page and you'll come straight
        back.
      </p>
      <Button size="lg" className="w-full" loading={busy} onClick={() => void signIn()}>
        Sign in with Microsoft
      </Button>
    </div>
  );
}

/** Entra mode's forgot and reset password pages: there is no CloneAI password. */
export function EntraPasswordNote() {
  return (
    <Alert tone="info" title="Passwords are managed by Microsoft">
      This deployment signs you in with Microsoft, so there is no CloneAI password to reset. Choose{" "}
      <strong>Forgot password?</strong> on Microsoft's sign-in page instead.
    </Alert>
  );
}
