import { Download, Eye, ReceiptText } from "lucide-react";
import { Link } from "react-router";
import { errorMessage } from "../../api/http";
import type { InvoiceSummary } from "../../api/contract";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button, buttonClasses } from "../../components/ui/Button";
import { EmptyState, Loading, PageHeader } from "../../components/ui/States";
import { formatMoney } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import { periodLabel, statusLabel } from "./format";
import { useDownloadStatementPdf, useStatements } from "./queries";

/** My statements: one per month in which my wallet moved (or my invoices), each to view or download as a PDF. */
export function StatementsPage() {
  useTitle("Statements");
  const statements = useStatements();
  const pdf = useDownloadStatementPdf();
  const items = statements.data?.items ?? [];

  return (
    <div>
      <PageHeader
        title="Statements"
        description="A statement for each month your wallet was used: top-ups, sessions and refunds, with the balance before and after."
      />

      {pdf.error ? (
        <Alert tone="error" className="mb-6" title="We couldn't download the PDF">
          {errorMessage(pdf.error)}
        </Alert>
      ) : null}

      {statements.isPending ? (
        <Loading label="Loading statements…" />
      ) : statements.error ? (
        <Alert tone="error" title="We couldn't load your statements">
          <p>{errorMessage(statements.error)}</p>
          <Button variant="outline" size="sm" className="mt-3" onClick={() => void statements.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : items.length === 0 ? (
        <EmptyState
          icon={<ReceiptText className="size-6" />}
          title="No statements yet"
          action={
            <Link to="/" className={buttonClasses("primary")}>
              Find a clone to talk to
            </Link>
          }
        >
          Your first statement appears once you top up your wallet.
        </EmptyState>
      ) : (
        <ul aria-label="Statements" className="divide-y divide-slate-100 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-xs">
          {items.map((item) => (
            <li key={item.id}>
              <StatementRow
                item={item}
                downloading={pdf.isPending && pdf.variables === item.id}
                onDownload={() => pdf.mutate(item.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function StatementRow({ item, downloading, onDownload }: { item: InvoiceSummary; downloading: boolean; onDownload: () => void }) {
  const period = periodLabel(item);
  return (
    <div className="flex flex-col gap-3 px-4 py-4 sm:flex-row sm:items-center sm:justify-between sm:px-5" data-testid="statement-row">
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <h2 className="font-semibold text-slate-900">{period}</h2>
          <Badge tone={item.status === "open" ? "brand" : "neutral"}>{statusLabel(item.status)}</Badge>
        </div>
        <p className="mt-0.5 truncate text-xs text-slate-500">{item.number}</p>
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 sm:justify-end">
        <p className="text-sm text-slate-700">
          <span className="text-slate-500">{item.kind === "statement" ? "Spent " : "Total "}</span>
          <span className="font-medium text-slate-900 tabular-nums">{formatMoney(item.total, item.currency)}</span>
        </p>
        <div className="flex gap-2">
          <Link
            to={`/statements/${encodeURIComponent(item.id)}`}
            className={buttonClasses("outline", "sm")}
            aria-label={`View the statement for ${period}`}
          >
            <Eye aria-hidden className="size-4" />
            View
          </Link>
          <Button variant="outline" size="sm" loading={downloading} onClick={onDownload} aria-label={`Download the PDF for ${period}`}>
            {downloading ? null : <Download aria-hidden className="size-4" />}
            PDF
          </Button>
        </div>
      </div>
    </div>
  );
}
