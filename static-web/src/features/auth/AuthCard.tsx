import type { ReactNode } from "react";
import { LogoMark } from "../../components/layout/Logo";
import { Alert } from "../../components/ui/Alert";

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

export function EntraNote() {
  return (
    <Alert tone="info" title="Sign-in is through Microsoft Entra">
      This deployment uses Microsoft Entra ID for accounts, so there is no CloneAI password to enter here. Entra
      sign-in is not wired up in this build yet; ask your administrator for access.
    </Alert>
  );
}
