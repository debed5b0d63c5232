import { ShieldAlert } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { buttonClasses } from "../../components/ui/Button";
import { EmptyState } from "../../components/ui/States";
import { useAuth } from "../auth/AuthProvider";

/** Renders its children for admins; everyone else sees "Admins only". */
export function AdminOnly({ children, what }: { children: ReactNode; what: string }) {
  const { me } = useAuth();
  if (me?.isAdmin) return <>{children}</>;
  return (
    <EmptyState
      icon={<ShieldAlert className="size-6" />}
      title="Admins only"
      action={
        <Link to="/" className={buttonClasses("primary")}>
          Go to the marketplace
        </Link>
      }
    >
      {what}
    </EmptyState>
  );
}

/** A row of toggle buttons choosing one status. */
export function StatusPicker<T extends string>({ value, options, onChange }: { value: T; options: { value: T; label: string }[]; onChange: (v: T) => void }) {
  return (
    <div role="group" aria-label="Status" className="mb-6 inline-flex flex-wrap rounded-xl border border-slate-200 bg-white p-1">
      {options.map((s) => (
        <button
          key={s.value}
          type="button"
          aria-pressed={value === s.value}
          onClick={() => onChange(s.value)}
          className={
            "rounded-lg px-3 py-1.5 text-sm font-medium " + (value === s.value ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100")
          }
        >
          {s.label}
        </button>
      ))}
    </div>
  );
}
