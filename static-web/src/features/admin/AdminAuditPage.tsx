import { useState } from "react";
import { PagedFrame } from "../../components/ui/PagedList";
import { Card, PageHeader } from "../../components/ui/States";
import { formatDateTime } from "../../lib/format";
import { useTitle } from "../../lib/useTitle";
import { actionLabel, AUDIT_ACTIONS, targetLabel } from "./labels";
import { useAuditLog } from "./queries";

const PAGE_SIZE = 50;

/** Every admin action: when, who, what, to what, and why, newest first, a page at a time. */
export function AdminAuditPage() {
  useTitle("Audit log · Admin");
  const [action, setAction] = useState("");
  const list = useAuditLog(PAGE_SIZE, action);
  return (
    <div>
      <PageHeader title="Audit log" description="Every admin action with who did it, when, and the reason they gave. Entries are never changed." />
      <label className="mb-6 block max-w-xs space-y-1.5">
        <span className="block text-sm font-medium text-slate-800">Action</span>
        <select
          value={action}
          onChange={(e) => setAction(e.target.value)}
          className="block h-10 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs focus:border-brand-500 focus:outline-none"
        >
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <PagedFrame list={list} what="the audit log" empty={action ? "No entries of this action." : "No admin actions yet."}>
        {/* Phones: one card per entry. */}
        <Card className="overflow-hidden sm:hidden">
          <ul aria-label="Audit log" className="divide-y divide-slate-100">
            {list.items.map((e) => (
              <li key={e.id} className="p-4 text-sm">
                <p className="font-medium text-slate-900">{actionLabel(e.action)}</p>
                <p className="font-mono text-xs text-slate-600">{targetLabel(e.targetType, e.targetId)}</p>
                <p className="mt-1 break-all text-slate-600">
                  {e.actorEmail || e.actorId} · {formatDateTime(e.at)}
                </p>
                <p className="mt-1 break-words text-slate-700">Reason: {e.reason}</p>
                {e.details ? <p className="text-xs text-slate-500">{e.details}</p> : null}
              </li>
            ))}
          </ul>
        </Card>
        <Card className="hidden overflow-x-auto sm:block">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">Audit log, newest first</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-4 py-3">When</th>
                <th scope="col" className="px-4 py-3">Who</th>
                <th scope="col" className="px-4 py-3">Action</th>
                <th scope="col" className="px-4 py-3">Target</th>
                <th scope="col" className="px-4 py-3">Reason</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.items.map((e) => (
                <tr key={e.id} className="align-top">
                  <td className="px-4 py-3 whitespace-nowrap text-slate-600">{formatDateTime(e.at)}</td>
                  <td className="px-4 py-3 break-all text-slate-900">{e.actorEmail || e.actorId}</td>
                  <td className="px-4 py-3 text-slate-900">
                    {actionLabel(e.action)}
                    {e.details ? <span className="block text-xs text-slate-500">{e.details}</span> : null}
                  </td>
                  <td className="px-4 py-3 font-mono text-xs text-slate-600" title={`${e.targetType} ${e.targetId}`}>
                    {targetLabel(e.targetType, e.targetId)}
                  </td>
                  <td className="px-4 py-3 break-words text-slate-700">{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </PagedFrame>
    </div>
  );
}
