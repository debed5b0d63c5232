import { ChevronRight, MessagesSquare } from "lucide-react";
import { Link } from "react-router";
import { errorMessage } from "../../api/http";
import type { ChatSession } from "../../api/contract";
import { Alert } from "../../components/ui/Alert";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { Button, buttonClasses } from "../../components/ui/Button";
import { EmptyState, Loading, PageHeader } from "../../components/ui/States";
import { formatDateTime, plural } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import { formatDuration, spokenDuration } from "./clock";
import { Stars } from "./parts";
import { useSessions } from "./queries";

const PAGE_SIZE = 20;

/** Grid columns of a row on wider screens; the header row uses the same. */
const ROW_GRID = "sm:grid sm:grid-cols-[minmax(0,2.2fr)_minmax(0,1.5fr)_minmax(0,0.8fr)_minmax(0,0.8fr)_minmax(0,1fr)_1rem] sm:items-center sm:gap-4";

export function SessionsPage() {
  useTitle("My sessions");
  const { items, token, loading, loadingMore, error, loadMore, reload } = useSessions(PAGE_SIZE);

  return (
    <div>
      <PageHeader title="My sessions" description="Your conversations with clones: open one to read it again, rate it or export it." />

      {loading ? (
        <Loading label="Loading sessions…" />
      ) : error && items.length === 0 ? (
        <Alert tone="error" title="We couldn't load your sessions">
          <p>{errorMessage(error)}</p>
          <Button variant="outline" size="sm" className="mt-3" onClick={reload}>
            Try again
          </Button>
        </Alert>
      ) : items.length === 0 ? (
        <EmptyState
          icon={<MessagesSquare className="size-6" />}
          title="No sessions yet"
          action={
            <Link to="/" className={buttonClasses("primary")}>
              Find a clone to talk to
            </Link>
          }
        >
          Start a session from any clone's page in the marketplace.
        </EmptyState>
      ) : (
        <>
          <div className="overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-xs">
            <div aria-hidden className={`hidden border-b border-slate-200 bg-slate-50 px-5 py-2.5 text-xs font-semibold tracking-wide text-slate-500 uppercase ${ROW_GRID}`}>
              <span>Clone</span>
              <span>Started</span>
              <span>Length</span>
              <span>Cost</span>
              <span>Rating</span>
              <span />
            </div>
            <ul aria-label="Sessions" className="divide-y divide-slate-100">
              {items.map((s) => (
                <li key={s.id}>
                  <SessionRow session={s} />
                </li>
              ))}
            </ul>
          </div>
          {error ? (
            <Alert tone="error" className="mt-6" title="Couldn't load more sessions">
              {errorMessage(error)}
            </Alert>
          ) : null}
          {token ? (
            <div className="mt-6 flex justify-center">
              <Button variant="outline" size="lg" loading={loadingMore} onClick={() => void loadMore()}>
                Load more
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}

function SessionRow({ session: s }: { session: ChatSession }) {
  const active = s.status === "active";
  return (
    <Link
      to={`/sessions/${encodeURIComponent(s.id)}`}
      className={`group block px-4 py-4 transition-colors hover:bg-slate-50 focus-visible:bg-slate-50 sm:px-5 ${ROW_GRID}`}
      data-testid="session-row"
    >
      <div className="flex min-w-0 items-center gap-3">
        <Avatar name={s.cloneName} seed={s.cloneId} square className="size-10 text-sm" />
        <div className="min-w-0">
          <p className="truncate font-semibold text-slate-900 group-hover:text-brand-700">{s.cloneName}</p>
          <div className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-500">
            {active ? (
              <Badge tone="success">
                <span aria-hidden className="size-1.5 rounded-full bg-emerald-500" />
                Active
              </Badge>
            ) : (
              <Badge>Ended</Badge>
            )}
            {s.preview ? <Badge tone="brand">Preview</Badge> : null}
            <span>{plural(s.messageCount, "question")}</span>
          </div>
        </div>
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:contents">
        <div className="min-w-0">
          <dt className="text-xs text-slate-500 sm:sr-only">Started</dt>
          <dd className="text-slate-700">{formatDateTime(s.startedAt)}</dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs text-slate-500 sm:sr-only">Length</dt>
          <dd className="text-slate-700 tabular-nums" title={spokenDuration(s.elapsedSeconds)}>
            {formatDuration(s.elapsedSeconds)}
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs text-slate-500 sm:sr-only">Cost</dt>
          <dd className="font-medium text-slate-900 tabular-nums">{formatMoney(s.cost.amount, s.cost.currency)}</dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs text-slate-500 sm:sr-only">Rating</dt>
          <dd>{s.rating ? <Stars value={s.rating} /> : <span className="text-slate-500">Not rated</span>}</dd>
        </div>
      </dl>
      <ChevronRight aria-hidden className="hidden size-4 text-slate-400 group-hover:text-slate-600 sm:block" />
    </Link>
  );
}
