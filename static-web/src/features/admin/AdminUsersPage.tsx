import { useState } from "react";
import { useNavigate } from "react-router";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { PagedListCard } from "../../components/ui/PagedList";
import { Card, PageHeader } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatDate, formatDateTime } from "../../lib/format";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import type { AdminUser } from "./api";
import { SearchForm } from "./AdminList";
import { useAdminUsers, useUserAction } from "./queries";
import { ReasonDialog } from "./ReasonDialog";

const PAGE_SIZE = 20;

export function AdminUsersPage() {
  useTitle("Users · Admin");
  const [q, setQ] = useState("");
  const list = useAdminUsers(q, PAGE_SIZE);
  return (
    <div>
      <PageHeader title="Users" description="Find an account by email or name; disable or enable it, or change its roles. Every change asks for a reason." />
      <SearchForm label="Find users" placeholder="Email or name" initial={q} onSearch={setQ} />
      <PagedListCard list={list} label="Users" empty={q ? `No user matches “${q}”.` : "No users yet."}>
        {(user) => <UserRow user={user} />}
      </PagedListCard>
      <ReadConversation />
    </div>
  );
}

type Dialog = "disable" | "enable" | "roles" | null;

function UserRow({ user }: { user: AdminUser }) {
  const { me } = useAuth();
  const toast = useToast();
  const act = useUserAction();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [admin, setAdmin] = useState(user.isAdmin);
  const [creator, setCreator] = useState(user.isCreator);
  const self = me?.id === user.id;
  const open = (d: Dialog) => {
    setAdmin(user.isAdmin);
    setCreator(user.isCreator);
    setDialog(d);
  };

  return (
    <div className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between sm:p-5">
      <div className="min-w-0">
        <p className="truncate font-semibold text-slate-900">{user.displayName}</p>
        <p className="truncate text-sm text-slate-500">{user.email}</p>
        <div className="mt-2 flex flex-wrap gap-1.5">
          {user.isAdmin ? <Badge tone="brand">Admin</Badge> : null}
          {user.isCreator ? <Badge>Creator</Badge> : null}
          {user.verifiedAt ? <Badge tone="success">Verified expert</Badge> : null}
          {user.disabledAt ? <Badge tone="danger">Disabled {formatDate(user.disabledAt)}</Badge> : null}
          {!user.emailVerified ? <Badge tone="warning">Email not verified</Badge> : null}
        </div>
        {user.disabledAt && user.disabledReason ? (
          <p className="mt-1 text-sm break-words text-slate-600">Reason: {user.disabledReason}</p>
        ) : null}
        <p className="mt-1 text-xs text-slate-500">Joined {formatDateTime(user.createdAt)}</p>
      </div>
      <div className="flex shrink-0 flex-wrap gap-2">
        <Button variant="outline" size="sm" onClick={() => open("roles")}>
          Roles
        </Button>
        {user.disabledAt ? (
          <Button variant="outline" size="sm" onClick={() => open("enable")}>
            Enable
          </Button>
        ) : (
          <Button variant="danger" size="sm" disabled={self} title={self ? "You cannot disable yourself" : undefined} onClick={() => open("disable")}>
            Disable
          </Button>
        )}
      </div>
      <ReasonDialog
        open={dialog === "disable"}
        onOpenChange={(o) => !o && setDialog(null)}
        title={`Disable ${user.displayName}?`}
        description="They are signed out everywhere and cannot sign in until an admin enables the account again."
        confirmLabel="Disable account"
        destructive
        onConfirm={async (reason) => {
          await act.mutateAsync({ kind: "disable", userId: user.id, reason });
          toast({ title: "Account disabled" });
        }}
      />
      <ReasonDialog
        open={dialog === "enable"}
        onOpenChange={(o) => !o && setDialog(null)}
        title={`Enable ${user.displayName}?`}
        description="They can sign in again."
        confirmLabel="Enable account"
        onConfirm={async (reason) => {
          await act.mutateAsync({ kind: "enable", userId: user.id, reason });
          toast({ title: "Account enabled" });
        }}
      />
      <ReasonDialog
        open={dialog === "roles"}
        onOpenChange={(o) => !o && setDialog(null)}
        title={`Roles of ${user.displayName}`}
        description="Admins use this console; creators build clones."
        confirmLabel="Save roles"
        onConfirm={async (reason) => {
          await act.mutateAsync({ kind: "roles", userId: user.id, reason, admin, creator });
          toast({ title: "Roles saved" });
        }}
      >
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">Roles</legend>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" className="size-4 accent-brand-600" checked={admin} disabled={self} onChange={(e) => setAdmin(e.target.checked)} />
            Admin{self ? " (you cannot remove your own)" : ""}
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" className="size-4 accent-brand-600" checked={creator} onChange={(e) => setCreator(e.target.checked)} />
            Creator
          </label>
        </fieldset>
      </ReasonDialog>
    </div>
  );
}

/** Opening a user's conversation: the page asks for the reason before it shows anything. */
function ReadConversation() {
  const navigate = useNavigate();
  const [id, setId] = useState("");
  return (
    <Card className="mt-10 p-5">
      <h2 className="text-base font-semibold text-slate-900">Read a user's conversation</h2>
      <p className="mt-1 text-sm text-slate-600">
        Only with a reason, for example a report about an answer. The read is written to the audit log and the user sees it on their profile.
      </p>
      <form
        className="mt-4 flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          if (id.trim()) navigate(`/admin/sessions/${encodeURIComponent(id.trim())}`);
        }}
      >
        <label className="flex-1 space-y-1.5">
          <span className="block text-sm font-medium text-slate-800">Session id</span>
          <input
            value={id}
            onChange={(e) => setId(e.target.value)}
            className="block h-10 w-full rounded-lg border border-slate-300 bg-white px-3 font-mono text-sm text-slate-900 shadow-xs focus:border-brand-500 focus:ring-3 focus:ring-brand-500/20 focus:outline-none"
          />
        </label>
        <Button type="submit" variant="outline" disabled={!id.trim()}>
          Continue
        </Button>
      </form>
    </Card>
  );
}
