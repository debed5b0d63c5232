import { ShieldCheck } from "lucide-react";
import { errorMessage } from "../../api/http";
import { Card, Loading } from "../../components/ui/States";
import { formatDateTime } from "../../lib/format";
import { accessLabel } from "../admin/labels";
import { useMyAccessLog } from "../admin/queries";

/** "Access to your data": what CloneAI's admins did to the user's account or data, who, when and why. */
export function AccessLogSection() {
  const log = useMyAccessLog();
  return (
    <Card className="p-6 sm:p-8">
      <section aria-labelledby="access-log-title">
        <h2 id="access-log-title" className="flex items-center gap-2 text-base font-semibold text-slate-900">
          <ShieldCheck aria-hidden className="size-5 text-brand-600" />
          Access to your data
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Admins read a conversation or change an account only with a reason, and every such access is listed here.
        </p>
        <div className="mt-4">
          {log.isPending ? (
            <Loading />
          ) : log.error ? (
            <p role="alert" className="text-sm text-red-700">{errorMessage(log.error)}</p>
          ) : log.data.items.length === 0 ? (
            <p className="text-sm text-slate-600">No admin has accessed your data.</p>
          ) : (
            <ul aria-label="Access to your data" className="divide-y divide-slate-100 rounded-xl border border-slate-200">
              {log.data.items.map((e) => (
                <li key={e.id} className="p-4 text-sm">
                  <p className="font-medium text-slate-900">{accessLabel(e.action)}</p>
                  <p className="text-slate-600">
                    {e.who} · <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </p>
                  <p className="mt-1 break-words text-slate-700">Reason: {e.reason}</p>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
    </Card>
  );
}
