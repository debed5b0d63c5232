import { ArrowLeft, Download, Printer } from "lucide-react";
import { useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClasses } from "../../components/ui/Button";
import { Loading } from "../../components/ui/States";
import { useTitle } from "../../lib/useTitle";
import { useDownloadStatementPdf, useStatementHtml } from "./queries";

/**
 * One statement as the API renders it: its HTML page in a sandboxed frame (no scripts run in it; same origin only so that
 * it can be measured and printed), with Print and PDF.
 */
export function StatementPage() {
  const { id = "" } = useParams();
  useTitle("Statement");
  const html = useStatementHtml(id);
  const pdf = useDownloadStatementPdf();
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(600);

  const fit = () => {
    const doc = frame.current?.contentDocument;
    if (doc?.documentElement) setHeight(Math.max(300, doc.documentElement.scrollHeight + 4));
  };

  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <Link to="/statements" className={buttonClasses("ghost", "sm", "-ml-2")}>
          <ArrowLeft aria-hidden className="size-4" />
          Statements
        </Link>
        <div className="flex gap-2">
          <Button variant="outline" size="sm" disabled={!html.data} onClick={() => frame.current?.contentWindow?.print()}>
            <Printer aria-hidden className="size-4" />
            Print
          </Button>
          <Button variant="primary" size="sm" loading={pdf.isPending} onClick={() => pdf.mutate(id)}>
            {pdf.isPending ? null : <Download aria-hidden className="size-4" />}
            Download PDF
          </Button>
        </div>
      </div>
      <h1 className="sr-only">Statement</h1>
      {pdf.error ? (
        <Alert tone="error" className="mb-4" title="We couldn't download the PDF">
          {errorMessage(pdf.error)}
        </Alert>
      ) : null}
      {html.isPending ? (
        <Loading label="Loading the statement…" />
      ) : html.error ? (
        <Alert tone="error" title="We couldn't load this statement">
          {errorMessage(html.error)}
        </Alert>
      ) : (
        <iframe
          ref={frame}
          title="Statement"
          srcDoc={html.data}
          sandbox="allow-same-origin allow-modals"
          onLoad={fit}
          style={{ height }}
          className="w-full rounded-2xl border border-slate-200 bg-white"
        />
      )}
    </div>
  );
}
