// The creator dashboard: figures by day, ratings, the questions asked grouped by meaning, the knowledge gaps and the documents
// by citations. Aggregates only: the API never sends a conversation, and nothing here names who asked or rated.
import { BookOpen, FilePlus2, MessageSquareQuote, Star } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Badge } from "../../components/ui/Badge";
import { buttonClasses } from "../../components/ui/Button";
import { Card } from "../../components/ui/States";
import { cn } from "../../lib/cn";
import { formatDate } from "../../lib/format";
import { formatMoney, minorDigits } from "../../lib/money";
import type { Dashboard, QuestionGroup } from "./api";
import { RANGES, shortDate, type RangeDays } from "./range";

export interface DashboardViewProps {
  dashboard: Dashboard;
  days: RangeDays;
  onDaysChange: (days: RangeDays) => void;
  /** True for all of a creator's clones: the per-clone breakdown is shown and groups name their clones. */
  allClones?: boolean;
  /** Where a gap's "Add a document" goes: the clone's Knowledge tab. */
  knowledgeLink: (cloneId: string) => string;
  /** A newer period is loading (the figures shown are the previous one's). */
  refreshing?: boolean;
}

const BRAND = "#4f46e5";
const NET = "#10b981";

export function DashboardView({ dashboard: d, days, onDaysChange, allClones = false, knowledgeLink, refreshing = false }: DashboardViewProps) {
  const currency = d.currency;
  const major = (minor: number) => minor / 10 ** minorDigits(currency);
  const chartDays = d.days.map((day) => ({
    date: shortDate(day.date),
    sessions: day.sessions,
    minutes: day.minutes,
    gross: major(day.gross.amount),
    net: major(day.net.amount),
  }));
  const names = new Map(d.clones.map((c) => [c.cloneId, c.name]));
  const maxRating = Math.max(1, ...d.ratings.map((r) => r.count));

  return (
    <div className={cn("space-y-6", refreshing && "opacity-70 transition-opacity")} aria-busy={refreshing}>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm text-slate-600">
          {shortDate(d.from)} – {shortDate(d.to)} (UTC) · amounts in {currency}
        </p>
        <RangePicker days={days} onChange={onDaysChange} />
      </div>

      <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        <Tile label="Sessions" value={String(d.totals.sessions)} note={`${d.totals.messages} questions`} />
        <Tile label="Minutes" value={d.totals.minutes.toLocaleString("en-US")} />
        <Tile label="Gross revenue" value={formatMoney(d.totals.gross.amount, currency)} note="what users paid" />
        <Tile label="Net revenue" value={formatMoney(d.totals.net.amount, currency)} note="your share" />
        <Tile
          label="Average rating"
          value={d.totals.averageRating === null || d.totals.averageRating === undefined ? "–" : d.totals.averageRating.toFixed(1)}
          note={`${d.totals.ratingCount} rating${d.totals.ratingCount === 1 ? "" : "s"}`}
          className="col-span-2 lg:col-span-1"
        />
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Sessions by day" description="Sessions started each day (previews not counted).">
          <Chart label={`Sessions by day: ${d.totals.sessions} in the period`}>
            <BarChart data={chartDays} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="date" tick={{ fontSize: 12 }} minTickGap={16} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Bar dataKey="sessions" name="Sessions" fill={BRAND} radius={[3, 3, 0, 0]} />
            </BarChart>
          </Chart>
        </Section>
        <Section title="Revenue by day" description={`Gross (what users paid) and net (your share), in ${currency}.`}>
          <Chart
            label={`Revenue by day: ${formatMoney(d.totals.gross.amount, currency)} gross, ${formatMoney(d.totals.net.amount, currency)} net`}
          >
            <BarChart data={chartDays} margin={{ top: 8, right: 8, bottom: 0, left: -8 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="date" tick={{ fontSize: 12 }} minTickGap={16} />
              <YAxis tick={{ fontSize: 12 }} />
              <Tooltip formatter={(value) => formatMoney(Math.round(Number(value) * 10 ** minorDigits(currency)), currency)} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar dataKey="gross" name="Gross" fill={BRAND} radius={[3, 3, 0, 0]} />
              <Bar dataKey="net" name="Net" fill={NET} radius={[3, 3, 0, 0]} />
            </BarChart>
          </Chart>
        </Section>
      </div>

      {allClones ? (
        <Section title="By clone" description="Each clone's part of the period.">
          {d.clones.length === 0 ? (
            <p className="text-sm text-slate-500">You have no clones yet.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th scope="col" className="py-2 pr-2 font-medium">Clone</th>
                  <th scope="col" className="px-2 py-2 text-right font-medium">Sessions</th>
                  <th scope="col" className="hidden px-2 py-2 text-right font-medium sm:table-cell">Minutes</th>
                  <th scope="col" className="hidden px-2 py-2 text-right font-medium sm:table-cell">Gross</th>
                  <th scope="col" className="px-2 py-2 text-right font-medium">Net</th>
                  <th scope="col" className="hidden py-2 pl-2 text-right font-medium sm:table-cell">Rating</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {d.clones.map((c) => (
                  <tr key={c.cloneId}>
                    <th scope="row" className="py-2 pr-2 font-medium break-words text-slate-900">
                      <Link to={`/studio/${encodeURIComponent(c.cloneId)}/dashboard`} className="text-brand-700 hover:underline">
                        {c.name}
                      </Link>
                    </th>
                    <td className="px-2 py-2 text-right tabular-nums">{c.sessions}</td>
                    <td className="hidden px-2 py-2 text-right tabular-nums sm:table-cell">{c.minutes}</td>
                    <td className="hidden px-2 py-2 text-right tabular-nums sm:table-cell">{formatMoney(c.gross.amount, c.gross.currency)}</td>
                    <td className="px-2 py-2 text-right tabular-nums">{formatMoney(c.net.amount, c.net.currency)}</td>
                    <td className="hidden py-2 pl-2 text-right tabular-nums sm:table-cell">
                      {c.averageRating === null || c.averageRating === undefined ? "–" : `${c.averageRating.toFixed(1)} (${c.ratingCount})`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Ratings" description="How many sessions got each number of stars.">
          <ul aria-label="Rating distribution" className="space-y-2">
            {[...d.ratings].reverse().map((r) => (
              <li key={r.stars} className="flex items-center gap-3 text-sm">
                <span className="flex w-10 shrink-0 items-center gap-1 text-slate-700">
                  {r.stars}
                  <Star aria-hidden className="size-3.5 fill-amber-400 text-amber-400" />
                  <span className="sr-only">{r.stars === 1 ? "star" : "stars"}:</span>
                </span>
                <span className="h-2.5 flex-1 overflow-hidden rounded-full bg-slate-100">
                  <span className="block h-full rounded-full bg-amber-400" style={{ width: `${(r.count / maxRating) * 100}%` }} />
                </span>
                <span className="w-8 shrink-0 text-right tabular-nums text-slate-700">{r.count}</span>
              </li>
            ))}
          </ul>
        </Section>
        <Section title="Recent comments" description="What users wrote with their rating. Who wrote it is not shown.">
          {d.recentComments.length === 0 ? (
            <p className="text-sm text-slate-500">No comments in this period.</p>
          ) : (
            <ul className="space-y-3">
              {d.recentComments.map((c, i) => (
                <li key={i} className="rounded-xl bg-slate-50 p-3 text-sm">
                  <div className="mb-1 flex flex-wrap items-center gap-x-2 text-xs text-slate-500">
                    <span className="font-medium text-amber-600" aria-label={`${c.stars} of 5 stars`}>
                      {"★".repeat(c.stars)}
                      <span aria-hidden className="text-slate-300">{"★".repeat(5 - c.stars)}</span>
                    </span>
                    <span>{formatDate(c.date)}</span>
                    {allClones ? <span>· {c.cloneName}</span> : null}
                  </div>
                  <p className="break-words text-slate-800">{c.comment}</p>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section
          title="Top questions"
          description={
            d.questions.groupedBy === "meaning"
              ? `Questions that ask the same thing are grouped (${d.questions.analysed}${d.questions.truncated ? " latest" : ""} questions).`
              : "Grouped by wording: the embedding model could not be reached."
          }
        >
          <QuestionList groups={d.questions.top} empty="No questions in this period." names={allClones ? names : null} />
        </Section>
        <Section title="Knowledge gaps" description={'Questions answered "I don\'t know", or from a weak passage. Add a document that answers them.'}>
          <QuestionList
            groups={d.questions.gaps}
            empty="No gaps: every question found a good passage."
            names={allClones ? names : null}
            action={(g) =>
              g.cloneIds.map((cloneId) => (
                <Link key={cloneId} to={knowledgeLink(cloneId)} className={buttonClasses("outline", "sm", "mt-2")}>
                  <FilePlus2 aria-hidden className="size-4" />
                  Add a document
                  <span className="sr-only">
                    {allClones && names.has(cloneId) ? ` to ${names.get(cloneId)}` : ""} for “{g.question}”
                  </span>
                </Link>
              ))
            }
          />
        </Section>
      </div>

      <Section title="Documents by citations" description="How many answers in the period cited each document.">
        {d.documents.length === 0 ? (
          <p className="text-sm text-slate-500">No documents yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {d.documents.map((doc) => (
              <li key={`${doc.cloneId}/${doc.documentId}`} className="flex items-center gap-3 py-2.5 text-sm">
                <BookOpen aria-hidden className="size-4 shrink-0 text-slate-400" />
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium text-slate-900">{doc.title}</span>
                  <span className="block truncate text-xs text-slate-500">
                    {doc.fileName}
                    {allClones && names.has(doc.cloneId) ? ` · ${names.get(doc.cloneId)}` : ""}
                  </span>
                </span>
                {doc.citations === 0 ? (
                  <Badge tone="warning">Never cited</Badge>
                ) : (
                  <span className="shrink-0 tabular-nums text-slate-700">
                    {doc.citations} citation{doc.citations === 1 ? "" : "s"}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

function RangePicker({ days, onChange }: { days: RangeDays; onChange: (days: RangeDays) => void }) {
  return (
    <div role="group" aria-label="Period" className="inline-flex self-start rounded-lg border border-slate-200 bg-white p-0.5">
      {RANGES.map((n) => (
        <button
          key={n}
          type="button"
          aria-pressed={days === n}
          onClick={() => onChange(n)}
          className={cn(
            "rounded-md px-3 py-1.5 text-sm font-medium transition-colors",
            days === n ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100",
          )}
        >
          Last {n} days
        </button>
      ))}
    </div>
  );
}

function Tile({ label, value, note, className }: { label: string; value: string; note?: string; className?: string }) {
  return (
    <Card className={cn("p-4", className)}>
      <p className="text-xs font-medium text-slate-500">{label}</p>
      <p className="mt-1 text-xl font-semibold tracking-tight text-slate-900 tabular-nums">{value}</p>
      {note ? <p className="text-xs text-slate-500">{note}</p> : null}
    </Card>
  );
}

function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Card className="min-w-0 p-5">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      <p className="mt-0.5 mb-4 text-sm text-slate-500">{description}</p>
      {children}
    </Card>
  );
}

/** A chart that fits its box at any width; `label` says what it shows for those who cannot see it. */
function Chart({ label, children }: { label: string; children: React.ReactElement }) {
  return (
    <figure className="h-56 w-full min-w-0">
      <figcaption className="sr-only">{label}</figcaption>
      <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 320, height: 224 }}>
        {children}
      </ResponsiveContainer>
    </figure>
  );
}

function QuestionList({
  groups,
  empty,
  names,
  action,
}: {
  groups: QuestionGroup[];
  empty: string;
  names: Map<string, string> | null;
  action?: (group: QuestionGroup) => ReactNode;
}) {
  if (groups.length === 0) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <ol className="space-y-3">
      {groups.map((g) => (
        <li key={g.question} className="flex gap-3 text-sm">
          <span className="flex h-6 min-w-6 shrink-0 items-center justify-center rounded-full bg-brand-50 px-1.5 text-xs font-semibold text-brand-700 tabular-nums">
            {g.count}
            <span className="sr-only">&nbsp;times</span>
          </span>
          <div className="min-w-0 flex-1">
            <p className="font-medium break-words text-slate-900">{g.question}</p>
            {g.example !== g.question ? (
              <p className="mt-0.5 flex gap-1 text-xs break-words text-slate-500">
                <MessageSquareQuote aria-hidden className="size-3.5 shrink-0" />
                <span>e.g. “{g.example}”</span>
              </p>
            ) : null}
            {names && g.cloneIds.length > 0 ? (
              <p className="mt-0.5 text-xs text-slate-500">{g.cloneIds.map((id) => names.get(id) ?? id).join(", ")}</p>
            ) : null}
            {action ? <div className="flex flex-wrap gap-2">{action(g)}</div> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
