import { ShieldAlert } from "lucide-react";
import type { ReactNode } from "react";
import { Link, NavLink, Outlet } from "react-router";
import { buttonClasses } from "../../components/ui/Button";
import { EmptyState } from "../../components/ui/States";
import { cn } from "../../lib/cn";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";

/** The admin console's sections. Reports and Verification are the moderation feature's pages (features/moderation). */
export const ADMIN_TABS = [
  { to: "/admin/users", label: "Users" },
  { to: "/admin/clones", label: "Clones" },
  { to: "/admin/reports", label: "Reports" },
  { to: "/admin/verification", label: "Verification" },
  { to: "/admin/payouts", label: "Payouts" },
  { to: "/admin/audit", label: "Audit" },
] as const;

const tabClass = ({ isActive }: { isActive: boolean }) =>
  cn(
    "shrink-0 rounded-lg px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors",
    isActive ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
  );

/** What a signed-in user who is not an admin sees on any admin page. */
export function AdminsOnly({
  what = "The admin console is for CloneAI's admins. If you need something changed on your account, contact support.",
}: {
  what?: string;
}) {
  useTitle("Admins only");
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

/** Renders its children for admins; everyone else sees "Admins only" and `what` (for a page used outside the console's frame). */
export function AdminOnly({ children, what }: { children: ReactNode; what: string }) {
  const { me } = useAuth();
  return me?.isAdmin ? <>{children}</> : <AdminsOnly what={what} />;
}

/** The admin console's frame: a tab bar over the section's page. Non-admins get "Admins only" and nothing else. */
export function AdminLayout() {
  const { me } = useAuth();
  if (!me?.isAdmin) return <AdminsOnly />;
  return (
    <div>
      <p className="mb-1 text-sm font-medium text-brand-700">Admin console</p>
      <nav aria-label="Admin sections" className="-mx-4 mb-8 overflow-x-auto border-b border-slate-200 px-4 pb-2 sm:mx-0 sm:px-0">
        <ul className="flex gap-1">
          {ADMIN_TABS.map((tab) => (
            <li key={tab.to}>
              <NavLink to={tab.to} className={tabClass}>
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
