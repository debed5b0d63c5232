import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import {
  AlertTriangle,
  Eye,
  FileText,
  Globe,
  MoreHorizontal,
  Pencil,
  RefreshCw,
  Search,
  Tag,
  Trash2,
  UploadCloud,
  X,
} from "lucide-react";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState, type DragEvent, type FormEvent, type ReactNode } from "react";
import { errorMessage } from "../../api/http";
import {
  DOCUMENT_STATUSES,
  SEARCH_MODES,
  type Clone,
  type DocumentStatus,
  type KnowledgeDocument,
  type KnowledgeStats,
  type Passage,
  type SearchMode,
} from "../../api/contract";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog, Modal } from "../../components/ui/Dialog";
import { Field } from "../../components/ui/Field";
import { errorsFor } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { SelectControl } from "../../components/ui/SelectField";
import { Loading } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { cn } from "../../lib/cn";
import { capitalize, formatBytes, formatDateTime, formatNumber, plural, splitList } from "../../lib/format";
import { markdownPlainText } from "../../lib/markdown";
import { DocumentViewer, type ViewerTarget } from "./DocumentViewer";
import { DocumentStatusBadge, Highlighted, ProgressBar, headingText, stageLabel } from "./parts";
import { useBulkDocuments, useDeleteDocument, useImportUrl, useKnowledgeSearch, useKnowledgeStats, useReindexAll, useReindexDocument, useUpdateDocument, statsChanged } from "./queries";
import { useDocuments, type DocumentFilters } from "./useDocuments";
import { useUploader } from "./useUploader";
import { ACCEPT, percent, summarize, type UploadItem } from "./uploads";

const EMPTY_TEXT = "No documents yet — drop PDFs, Word files, text, Markdown or HTML here";
const ALL = "all";
const menuContentClass =
  "z-50 min-w-48 overflow-hidden rounded-xl border border-slate-200 bg-white p-1 shadow-xl shadow-slate-900/10 animate-fade-in";
const menuItemClass =
  "flex h-9 cursor-pointer items-center gap-2.5 rounded-lg px-2.5 text-sm text-slate-700 outline-none select-none data-[highlighted]:bg-slate-100 data-[highlighted]:text-slate-900";

function titleOf(doc: Pick<KnowledgeDocument, "title" | "fileName">): string {
  return doc.title?.trim() || doc.fileName;
}

export function KnowledgeTab({ clone }: { clone: Clone }) {
  const cloneId = clone.id;
  const toast = useToast();
  const [filters, setFilters] = useState<DocumentFilters>({ status: "", tag: "" });
  const [viewer, setViewer] = useState<ViewerTarget | null>(null);
  const [dragging, setDragging] = useState(false);
  const [uploadTags, setUploadTags] = useState("");

  const queryClient = useQueryClient();
  const statsQuery = useKnowledgeStats(cloneId);
  const stats = statsQuery.data ?? null;
  const statsError = statsQuery.error;
  const loadStats = useCallback(() => statsChanged(queryClient, cloneId), [queryClient, cloneId]);
  const reindexEverything = useReindexAll(cloneId);

  const docs = useDocuments(cloneId, filters, loadStats);
  const { upsert } = docs;
  const uploader = useUploader(
    cloneId,
    useCallback(
      (doc: KnowledgeDocument) => {
        upsert([doc]);
        loadStats();
      },
      [upsert, loadStats],
    ),
  );

  const addFiles = (files: File[]) => uploader.add(files, splitList(uploadTags));

  // Dropping a file anywhere on the tab uploads it; elsewhere on the page the browser must not open it.
  useEffect(() => {
    const stop = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes("Files")) e.preventDefault();
    };
    window.addEventListener("dragover", stop);
    window.addEventListener("drop", stop);
    return () => {
      window.removeEventListener("dragover", stop);
      window.removeEventListener("drop", stop);
    };
  }, []);
  const dragDepth = useRef(0);
  const dropHandlers = {
    onDragEnter: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes("Files")) return;
      e.preventDefault();
      dragDepth.current++;
      setDragging(true);
    },
    onDragOver: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes("Files")) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    },
    onDragLeave: () => {
      dragDepth.current = Math.max(0, dragDepth.current - 1);
      if (dragDepth.current === 0) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      dragDepth.current = 0;
      setDragging(false);
      addFiles([...e.dataTransfer.files]);
    },
  };

  const reindexAll = async () => {
    try {
      const { total, failed } = await reindexEverything.mutateAsync();
      toast(
        failed
          ? { title: "Some documents couldn't be re-indexed", description: `${plural(failed, "document")} failed.`, tone: "error" }
          : { title: "Re-indexing started", description: `${plural(total, "document")} will be indexed again.` },
      );
      docs.refresh();
      loadStats();
    } catch (e) {
      toast({ title: "Re-indexing didn't start", description: errorMessage(e), tone: "error" });
    }
  };

  const hasNoDocuments = docs.items !== null && docs.items.length === 0 && !filters.status && !filters.tag;

  return (
    <div className={cn("relative space-y-6", dragging && "after:pointer-events-none after:absolute after:-inset-2 after:rounded-3xl after:ring-4 after:ring-brand-400/60")} {...dropHandlers}>
      <StatsStrip stats={stats} error={statsError} onReindexAll={reindexAll} />

      <Panel
        title="Add knowledge"
        description="Your clone answers from these documents. Files are read, split into passages and indexed; this takes a moment per file."
      >
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
          <div className="min-w-0 space-y-4">
            <DropZone dragging={dragging} empty={hasNoDocuments} onFiles={addFiles} />
            <UploadList uploader={uploader} />
          </div>
          <div className="space-y-5">
            <Field label="Tags for new documents" labelNote="Optional" hint="Separate with commas. Applied to the next uploads and imports.">
              {(p) => <Input {...p} value={uploadTags} onChange={(e) => setUploadTags(e.target.value)} placeholder="biology, chapter 1" />}
            </Field>
            <ImportUrl
              cloneId={cloneId}
              tags={splitList(uploadTags)}
              onImported={(doc) => {
                upsert([doc]);
                loadStats();
              }}
            />
          </div>
        </div>
      </Panel>

      <DocumentsPanel
        cloneId={cloneId}
        docs={docs}
        filters={filters}
        onFilters={setFilters}
        onOpen={(doc) => setViewer({ documentId: doc.id, title: titleOf(doc) })}
        onChanged={loadStats}
      />

      <SearchPanel cloneId={cloneId} onOpen={(p) => setViewer({ documentId: p.documentId, title: p.title || p.fileName, passage: p })} />

      <DocumentViewer cloneId={cloneId} target={viewer} onClose={() => setViewer(null)} />
    </div>
  );
}

function Panel({ title, description, actions, children }: { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="rounded-2xl border border-slate-200 bg-white p-5 shadow-xs sm:p-7">
      <div className="mb-5 flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h2 className="text-base font-semibold text-slate-900">{title}</h2>
          {description ? <p className="mt-0.5 text-sm text-slate-500">{description}</p> : null}
        </div>
        {actions ? <div className="flex shrink-0 flex-wrap gap-2">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Stats

function StatsStrip({ stats, error, onReindexAll }: { stats: KnowledgeStats | null; error: unknown; onReindexAll: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const tiles: [string, string][] = stats
    ? [
        ["Documents", formatNumber(stats.documents)],
        ["Ready", formatNumber(stats.ready)],
        ["Processing", formatNumber(stats.processing)],
        ["Failed", formatNumber(stats.failed)],
        ["Chunks", formatNumber(stats.chunks)],
        ["Tokens", formatNumber(stats.tokens)],
        ["Size", formatBytes(stats.bytes)],
      ]
    : [];
  const oldModels = stats
    ? [...new Set(stats.indexedModels.filter((m) => m.model !== stats.currentModel.model || m.dimensions !== stats.currentModel.dimensions).map((m) => m.model))]
    : [];
  return (
    <div className="space-y-3">
      {error && !stats ? (
        <Alert tone="error" title="We couldn't load the knowledge stats">
          {errorMessage(error)}
        </Alert>
      ) : null}
      <dl aria-label="Knowledge stats" className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7">
        {(stats ? tiles : (["Documents", "Ready", "Processing", "Failed", "Chunks", "Tokens", "Size"].map((l) => [l, "—"]) as [string, string][])).map(
          ([label, value]) => (
            <div key={label} className={cn("rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-xs", label === "Documents" && "col-span-2 sm:col-span-1")}>
              <dt className="text-xs font-medium text-slate-500">{label}</dt>
              <dd
                className={cn(
                  "mt-0.5 truncate text-lg font-semibold tabular-nums text-slate-900",
                  label === "Failed" && stats && stats.failed > 0 && "text-red-600",
                  label === "Processing" && stats && stats.processing > 0 && "text-brand-700",
                )}
              >
                {value}
              </dd>
            </div>
          ),
        )}
      </dl>
      {stats?.needsReindex ? (
        <div role="status" className="flex flex-col gap-3 rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 sm:flex-row sm:items-center">
          <AlertTriangle aria-hidden className="size-5 shrink-0 text-amber-500" />
          <p className="min-w-0 flex-1">
            The index was built with <strong className="font-semibold">{oldModels.join(", ") || "another model"}</strong>; re-index to use{" "}
            <strong className="font-semibold">{stats.currentModel.model}</strong>.
          </p>
          <Button
            size="sm"
            variant="outline"
            loading={busy}
            onClick={() => {
              setBusy(true);
              void onReindexAll().finally(() => setBusy(false));
            }}
          >
            <RefreshCw aria-hidden className="size-4" />
            Re-index all documents
          </Button>
        </div>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Uploads

function DropZone({ dragging, empty, onFiles }: { dragging: boolean; empty: boolean; onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div
      className={cn(
        "flex flex-col items-center rounded-2xl border-2 border-dashed px-6 py-8 text-center transition-colors",
        dragging ? "border-brand-500 bg-brand-50" : "border-slate-300 bg-slate-50/60",
      )}
    >
      <div className="mb-3 flex size-12 items-center justify-center rounded-2xl bg-brand-100 text-brand-600">
        <UploadCloud aria-hidden className="size-6" />
      </div>
      <p className="text-sm font-medium text-slate-900">{empty ? EMPTY_TEXT : dragging ? "Drop to upload" : "Drag and drop files here"}</p>
      <p className="mt-1 text-xs text-slate-500">PDF, Word (.docx), text, Markdown or HTML · up to 50 MB each</p>
      <Button className="mt-4" variant="outline" onClick={() => input.current?.click()}>
        <FileText aria-hidden className="size-4" />
        Choose files
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        tabIndex={-1}
        aria-hidden
        className="hidden"
        onChange={(e) => {
          onFiles([...(e.target.files ?? [])]);
          e.target.value = "";
        }}
      />
    </div>
  );
}

function uploadStateText(item: UploadItem): string {
  switch (item.state) {
    case "queued":
      return "Waiting…";
    case "uploading":
      return `Uploading ${percent(item)}%`;
    case "processing":
      return "Saving…";
    case "done":
      return "Uploaded";
    case "duplicate":
      return "Already in this clone";
    case "failed":
      return item.error ?? "Upload failed.";
  }
}

function UploadList({ uploader }: { uploader: ReturnType<typeof useUploader> }) {
  const { items } = uploader;
  if (items.length === 0) return null;
  const sum = summarize(items);
  return (
    <div className="rounded-xl border border-slate-200">
      <div className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-2.5">
        <p className="text-xs font-medium text-slate-600" aria-live="polite">
          {sum.active ? `Uploading ${plural(sum.active, "file")} · ${sum.percent}%` : "Uploads finished"}
          {sum.failed ? ` · ${sum.failed} failed` : ""}
        </p>
        {items.length > sum.active ? (
          <Button size="sm" variant="ghost" onClick={uploader.clearFinished}>
            Clear finished
          </Button>
        ) : null}
      </div>
      <ul aria-label="Uploads" className="divide-y divide-slate-100">
        {items.map((item) => {
          const finished = item.state === "done" || item.state === "duplicate" || item.state === "failed";
          return (
            <li key={item.key} className="flex items-start gap-3 px-4 py-3">
              <FileText aria-hidden className={cn("mt-0.5 size-4 shrink-0", item.state === "failed" ? "text-red-500" : "text-slate-400")} />
              <div className="min-w-0 flex-1 space-y-1.5">
                <div className="flex items-baseline justify-between gap-2">
                  <p className="truncate text-sm font-medium text-slate-800">{item.name}</p>
                  <span className="shrink-0 text-xs text-slate-500">{formatBytes(item.size)}</span>
                </div>
                {item.state === "uploading" || item.state === "processing" || item.state === "queued" ? (
                  <ProgressBar value={percent(item)} label={`Upload of ${item.name}`} />
                ) : null}
                <p
                  role={item.state === "failed" ? "alert" : undefined}
                  className={cn(
                    "text-xs",
                    item.state === "failed" ? "font-medium text-red-600" : item.state === "duplicate" ? "text-amber-700" : item.state === "done" ? "text-emerald-700" : "text-slate-500",
                  )}
                >
                  {uploadStateText(item)}
                </p>
              </div>
              <button
                type="button"
                aria-label={finished ? `Dismiss ${item.name}` : `Cancel upload of ${item.name}`}
                onClick={() => (finished ? uploader.dismiss(item.key) : uploader.cancel(item.key))}
                className="rounded-md p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-600"
              >
                <X aria-hidden className="size-4" />
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function ImportUrl({ cloneId, tags, onImported }: { cloneId: string; tags: string[]; onImported: (doc: KnowledgeDocument) => void }) {
  const toast = useToast();
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const importUrl = useImportUrl(cloneId);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const doc = await importUrl.mutateAsync({ url: url.trim(), tags });
      onImported(doc);
      setUrl("");
      toast(doc.duplicate ? { title: "Already in this clone", description: titleOf(doc) } : { title: "Page imported", description: titleOf(doc) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const urlErrors = errorsFor(error, "url");
  const messages = urlErrors.length ? urlErrors : error ? [errorMessage(error)] : undefined;
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Import from URL" className="space-y-3 rounded-xl border border-slate-200 p-4">
      <p className="flex items-center gap-1.5 text-sm font-semibold text-slate-900">
        <Globe aria-hidden className="size-4 text-slate-400" />
        Import from URL
      </p>
      <Field label="Web page address" error={messages}>
        {(p) => (
          <Input
            {...p}
            type="url"
            inputMode="url"
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              setError(null);
            }}
            placeholder="https://example.com/article"
          />
        )}
      </Field>
      <Button type="submit" variant="secondary" size="sm" loading={busy} disabled={!url.trim()} className="w-full">
        Import page
      </Button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Documents

type Docs = ReturnType<typeof useDocuments>;

type Pending =
  | { kind: "delete"; ids: string[]; label: string }
  | { kind: "tags"; ids: string[]; label: string }
  | { kind: "edit"; doc: KnowledgeDocument };

function DocumentsPanel({
  cloneId,
  docs,
  filters,
  onFilters,
  onOpen,
  onChanged,
}: {
  cloneId: string;
  docs: Docs;
  filters: DocumentFilters;
  onFilters: (f: DocumentFilters) => void;
  onOpen: (doc: KnowledgeDocument) => void;
  onChanged: () => void;
}) {
  const toast = useToast();
  const removeOne = useDeleteDocument(cloneId);
  const reindexOne = useReindexDocument(cloneId);
  const bulk = useBulkDocuments(cloneId);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [tagDraft, setTagDraft] = useState("");
  const [tagFilter, setTagFilter] = useState(filters.tag);
  const items = docs.items ?? [];

  // Selection only holds documents still in the list.
  useEffect(() => {
    setSelected((current) => {
      const ids = new Set(items.map((d) => d.id));
      const next = new Set([...current].filter((id) => ids.has(id)));
      return next.size === current.size ? current : next;
    });
  }, [items]);

  // The tag filter applies after a short pause in typing.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (tagFilter.trim() !== filters.tag) onFilters({ ...filters, tag: tagFilter.trim() });
    }, 350);
    return () => clearTimeout(timer);
  }, [tagFilter]);

  const allSelected = items.length > 0 && items.every((d) => selected.has(d.id));
  const someSelected = selected.size > 0 && !allSelected;
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const close = () => {
    setPending(null);
    setDialogError(null);
  };

  const reportBulk = (verb: string, result: { succeeded: string[]; failed: { id: string; error: string }[] }) => {
    if (result.failed.length) {
      const first = result.failed[0]!;
      const name = items.find((d) => d.id === first.id);
      toast({
        title: `${plural(result.failed.length, "document")} couldn't be ${verb}`,
        description: `${name ? `${titleOf(name)}: ` : ""}${first.error}`,
        tone: "error",
      });
    } else {
      toast({ title: `${capitalize(verb)} ${plural(result.succeeded.length, "document")}` });
    }
  };

  const runDelete = async (ids: string[]) => {
    setBusy(true);
    setDialogError(null);
    try {
      if (ids.length === 1) {
        await removeOne.mutateAsync(ids[0]!);
        docs.removeIds(ids);
        toast({ title: "Document deleted" });
      } else {
        const result = await bulk.mutateAsync({ action: "delete", ids });
        docs.removeIds(result.succeeded);
        reportBulk("deleted", result);
      }
      close();
      onChanged();
    } catch (e) {
      setDialogError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const runReindex = async (ids: string[]) => {
    try {
      if (ids.length === 1) {
        const doc = await reindexOne.mutateAsync(ids[0]!);
        docs.upsert([doc]);
        toast({ title: "Re-indexing started", description: titleOf(doc) });
      } else {
        reportBulk("re-indexed", await bulk.mutateAsync({ action: "reindex", ids }));
        docs.refresh();
      }
      onChanged();
    } catch (e) {
      toast({ title: "Re-indexing didn't start", description: errorMessage(e), tone: "error" });
    }
  };

  const runSetTags = async (ids: string[]) => {
    setBusy(true);
    setDialogError(null);
    try {
      const result = await bulk.mutateAsync({ action: "tag", ids, tags: splitList(tagDraft) });
      reportBulk("tagged", result);
      close();
      docs.refresh();
    } catch (e) {
      setDialogError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const selectedIds = [...selected];
  const filtered = !!filters.status || !!filters.tag;

  return (
    <Panel
      title="Documents"
      description={docs.polling ? "Statuses update live while documents are being processed." : "Everything your clone can quote from."}
      actions={docs.live ? <LiveIndicator /> : undefined}
    >
      <div className="mb-4 grid gap-3 sm:grid-cols-[12rem_minmax(0,16rem)]">
        <Field label="Status">
          {(p) => (
            <SelectControl
              {...p}
              value={filters.status || ALL}
              onValueChange={(v) => onFilters({ ...filters, status: v === ALL ? "" : (v as DocumentStatus) })}
              options={[{ value: ALL, label: "All statuses" }, ...DOCUMENT_STATUSES.map((s) => ({ value: s, label: capitalize(s) }))]}
            />
          )}
        </Field>
        <Field label="Tag">
          {(p) => <Input {...p} type="search" value={tagFilter} onChange={(e) => setTagFilter(e.target.value)} placeholder="Any tag" />}
        </Field>
      </div>

      {items.length > 0 ? (
        <div className="mb-2 flex min-h-10 flex-wrap items-center gap-2 rounded-xl bg-slate-50 px-3 py-1.5">
          <label className="mr-auto flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              className="size-4 rounded border-slate-300 accent-brand-600"
              checked={allSelected}
              ref={(el) => {
                if (el) el.indeterminate = someSelected;
              }}
              onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((d) => d.id)))}
            />
            {selected.size ? `${selected.size} selected` : "Select all"}
          </label>
          {selected.size ? (
            <>
              <Button size="sm" variant="ghost" onClick={() => void runReindex(selectedIds)}>
                <RefreshCw aria-hidden className="size-4" />
                Re-index
              </Button>
              <Button
                size="sm"
                variant="ghost"
                onClick={() => {
                  setTagDraft("");
                  setPending({ kind: "tags", ids: selectedIds, label: plural(selectedIds.length, "document") });
                }}
              >
                <Tag aria-hidden className="size-4" />
                Set tags
              </Button>
              <Button
                size="sm"
                variant="ghost"
                className="text-red-600 hover:bg-red-50 hover:text-red-700"
                onClick={() => setPending({ kind: "delete", ids: selectedIds, label: plural(selectedIds.length, "document") })}
              >
                <Trash2 aria-hidden className="size-4" />
                Delete
              </Button>
            </>
          ) : null}
        </div>
      ) : null}

      {docs.error && docs.items === null ? (
        <Alert tone="error" title="We couldn't load the documents">
          <p>{errorMessage(docs.error)}</p>
          <Button variant="outline" size="sm" className="mt-3" onClick={docs.refresh}>
            Try again
          </Button>
        </Alert>
      ) : docs.items === null ? (
        <Loading label="Loading documents…" />
      ) : items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 bg-slate-50/60 px-6 py-10 text-center text-sm text-slate-500">
          {filtered ? "No documents match these filters." : EMPTY_TEXT}
        </p>
      ) : (
        <ul aria-label="Documents" className="divide-y divide-slate-100 rounded-xl border border-slate-200">
          {items.map((doc) => (
            <DocumentRow
              key={doc.id}
              doc={doc}
              selected={selected.has(doc.id)}
              onToggle={() => toggle(doc.id)}
              onOpen={() => onOpen(doc)}
              onEdit={() => setPending({ kind: "edit", doc })}
              onReindex={() => void runReindex([doc.id])}
              onDelete={() => setPending({ kind: "delete", ids: [doc.id], label: `"${titleOf(doc)}"` })}
              onTag={(tag) => {
                setTagFilter(tag);
                onFilters({ ...filters, tag });
              }}
            />
          ))}
        </ul>
      )}

      {docs.error && docs.items !== null ? (
        <Alert tone="error" className="mt-3">
          {errorMessage(docs.error)}
        </Alert>
      ) : null}

      {docs.token ? (
        <div className="mt-4 flex justify-center">
          <Button variant="outline" loading={docs.loadingMore} onClick={() => void docs.loadMore()}>
            Load more
          </Button>
        </div>
      ) : null}

      <ConfirmDialog
        open={pending?.kind === "delete"}
        onOpenChange={(open) => !open && close()}
        title={pending?.kind === "delete" && pending.ids.length > 1 ? `Delete ${pending.label}?` : "Delete this document?"}
        description={
          <>
            {pending?.kind === "delete" ? <strong className="font-semibold text-slate-900">{pending.label}</strong> : null} will be removed
            from this clone's knowledge, with its passages. This can't be undone.
          </>
        }
        confirmLabel="Delete"
        destructive
        busy={busy}
        error={dialogError}
        onConfirm={() => pending?.kind === "delete" && void runDelete(pending.ids)}
      />

      <Modal
        open={pending?.kind === "tags"}
        onOpenChange={(open) => !open && close()}
        busy={busy}
        title="Set tags"
        description={pending?.kind === "tags" ? `Replaces the tags of ${pending.label}. Leave empty to remove all tags.` : undefined}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (pending?.kind === "tags") void runSetTags(pending.ids);
          }}
          className="space-y-4"
        >
          <Field label="Tags" hint="Separate with commas." error={dialogError ?? undefined}>
            {(p) => <Input {...p} value={tagDraft} onChange={(e) => setTagDraft(e.target.value)} placeholder="biology, chapter 1" autoFocus />}
          </Field>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="outline" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Save tags
            </Button>
          </div>
        </form>
      </Modal>

      <EditDialog
        cloneId={cloneId}
        doc={pending?.kind === "edit" ? pending.doc : null}
        onClose={close}
        onSaved={(doc) => {
          docs.upsert([doc]);
          close();
          toast({ title: "Document saved" });
        }}
      />
    </Panel>
  );
}

/** Shown while the realtime connection is up: statuses arrive as they change rather than by polling. */
function LiveIndicator() {
  return (
    <span className="inline-flex items-center gap-1.5 text-xs font-medium text-emerald-700" title="Statuses arrive as they change">
      <span aria-hidden className="size-1.5 rounded-full bg-emerald-500" />
      Live
    </span>
  );
}

function DocumentRow({
  doc,
  selected,
  onToggle,
  onOpen,
  onEdit,
  onReindex,
  onDelete,
  onTag,
}: {
  doc: KnowledgeDocument;
  selected: boolean;
  onToggle: () => void;
  onOpen: () => void;
  onEdit: () => void;
  onReindex: () => void;
  onDelete: () => void;
  onTag: (tag: string) => void;
}) {
  const title = titleOf(doc);
  const inFlight = doc.status === "uploaded" || doc.status === "processing";
  const facts = [
    formatBytes(doc.size),
    doc.pageCount > 0 ? plural(doc.pageCount, "page") : null,
    doc.status === "ready" || doc.chunkCount > 0 ? plural(doc.chunkCount, "chunk") : null,
    doc.status === "ready" || doc.tokenCount > 0 ? plural(doc.tokenCount, "token") : null,
    `Added ${formatDateTime(doc.createdAt)}`,
  ].filter(Boolean);
  return (
    <li className={cn("flex gap-3 px-3 py-3.5 sm:px-4", selected && "bg-brand-50/50")} aria-label={title} data-status={doc.status}>
      <input
        type="checkbox"
        aria-label={`Select ${title}`}
        checked={selected}
        onChange={onToggle}
        className="mt-1 size-4 shrink-0 rounded border-slate-300 accent-brand-600"
      />
      <div className="min-w-0 flex-1 space-y-1.5">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <button type="button" onClick={onOpen} className="min-w-0 truncate text-left text-sm font-semibold text-slate-900 hover:text-brand-700">
            {title}
          </button>
          <DocumentStatusBadge doc={doc} />
        </div>
        {title !== doc.fileName ? <p className="truncate text-xs text-slate-600">{doc.fileName}</p> : null}
        <p className="text-xs text-slate-500">{facts.join(" · ")}</p>
        {doc.status === "processing" ? (
          <ProgressBar value={doc.progress} label={`${title}: ${stageLabel(doc)} ${Math.round(doc.progress)}%`} className="max-w-sm" />
        ) : null}
        {doc.status === "failed" ? (
          <p className="flex items-start gap-1 text-xs font-medium text-red-600">
            <AlertTriangle aria-hidden className="mt-px size-3.5 shrink-0" />
            <span>{doc.error || "Processing failed. Re-index to try again."}</span>
          </p>
        ) : null}
        {doc.tags.length ? (
          <div className="flex flex-wrap gap-1.5 pt-0.5">
            {doc.tags.map((t) => (
              <button key={t} type="button" onClick={() => onTag(t)} aria-label={`Show documents tagged ${t}`} className="max-w-full">
                <Badge className="hover:bg-slate-200">#{t}</Badge>
              </button>
            ))}
          </div>
        ) : null}
      </div>
      <div className="flex shrink-0 items-start gap-1">
        <span className="hidden sm:contents">
          <Button size="sm" variant="ghost" className="px-2" onClick={onOpen} aria-label={`Open ${title}`}>
            <Eye aria-hidden className="size-4" />
          </Button>
        </span>
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <Button size="sm" variant="ghost" className="px-2" aria-label={`Actions for ${title}`}>
              <MoreHorizontal aria-hidden className="size-4" />
            </Button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content align="end" sideOffset={4} className={menuContentClass}>
              <DropdownMenu.Item className={menuItemClass} onSelect={onOpen}>
                <Eye aria-hidden className="size-4 text-slate-400" />
                Open
              </DropdownMenu.Item>
              <DropdownMenu.Item className={menuItemClass} onSelect={onEdit}>
                <Pencil aria-hidden className="size-4 text-slate-400" />
                Edit title and tags
              </DropdownMenu.Item>
              <DropdownMenu.Item className={menuItemClass} onSelect={onReindex} disabled={inFlight}>
                <RefreshCw aria-hidden className="size-4 text-slate-400" />
                Re-index
              </DropdownMenu.Item>
              <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
              <DropdownMenu.Item className={cn(menuItemClass, "text-red-600 data-[highlighted]:bg-red-50 data-[highlighted]:text-red-700")} onSelect={onDelete}>
                <Trash2 aria-hidden className="size-4" />
                Delete
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </div>
    </li>
  );
}

function EditDialog({
  cloneId,
  doc,
  onClose,
  onSaved,
}: {
  cloneId: string;
  doc: KnowledgeDocument | null;
  onClose: () => void;
  onSaved: (doc: KnowledgeDocument) => void;
}) {
  const [title, setTitle] = useState("");
  const [tags, setTags] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = useUpdateDocument(cloneId);
  useEffect(() => {
    if (!doc) return;
    setTitle(doc.title);
    setTags(doc.tags.join(", "));
    setError(null);
  }, [doc]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!doc) return;
    setBusy(true);
    setError(null);
    try {
      onSaved(await save.mutateAsync({ id: doc.id, update: { title: title.trim(), tags: splitList(tags) } }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const titleErrors = errorsFor(error, "title");
  const tagErrors = errorsFor(error, "tags");
  const other = error && !titleErrors.length && !tagErrors.length ? errorMessage(error) : null;

  return (
    <Modal open={doc !== null} onOpenChange={(open) => !open && onClose()} busy={busy} title="Edit document" description={doc?.fileName}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="space-y-4">
        <Field label="Title" error={titleErrors}>
          {(p) => <Input {...p} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />}
        </Field>
        <Field label="Tags" hint="Separate with commas." error={tagErrors}>
          {(p) => <Input {...p} value={tags} onChange={(e) => setTags(e.target.value)} placeholder="biology, chapter 1" />}
        </Field>
        {other ? (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
            {other}
          </p>
        ) : null}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="outline" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Save
          </Button>
        </div>
      </form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------
// Search

const MODE_LABELS: Record<SearchMode, string> = { hybrid: "Hybrid", keyword: "Keyword", vector: "Vector" };

function SearchPanel({ cloneId, onOpen }: { cloneId: string; onOpen: (passage: Passage) => void }) {
  const [q, setQ] = useState("");
  const [mode, setMode] = useState<SearchMode>("hybrid");
  const [result, setResult] = useState<{ query: string; items: Passage[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const search = useKnowledgeSearch();

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const query = q.trim();
    if (!query) return;
    setBusy(true);
    setError(null);
    try {
      const r = await search(cloneId, query, mode);
      setResult({ query, items: r.items });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="Search knowledge" description="Try what people might ask, and see which passages your clone would answer from.">
      <form onSubmit={(e) => void onSubmit(e)} role="search" className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_10rem_auto] sm:items-end">
        <Field label="Search knowledge">
          {(p) => <Input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. how do plants make energy?" />}
        </Field>
        <Field label="Mode">
          {(p) => (
            <SelectControl {...p} value={mode} onValueChange={(v) => setMode(v as SearchMode)} options={SEARCH_MODES.map((m) => ({ value: m, label: MODE_LABELS[m] }))} />
          )}
        </Field>
        <Button type="submit" loading={busy} disabled={!q.trim()}>
          <Search aria-hidden className="size-4" />
          Search
        </Button>
      </form>

      {error ? (
        <Alert tone="error" title="The search didn't work" className="mt-4">
          {errorMessage(error)}
        </Alert>
      ) : null}

      {result ? (
        result.items.length === 0 ? (
          <p className="mt-4 rounded-xl border border-dashed border-slate-300 px-6 py-8 text-center text-sm text-slate-500">
            No passages match “{result.query}”. Only documents that are Ready are searched.
          </p>
        ) : (
          <ol aria-label="Passages" className="mt-4 space-y-3">
            {result.items.map((p, i) => {
              const heading = headingText(p.headingPath);
              return (
                <li key={`${p.chunkId}-${i}`}>
                  <button
                    type="button"
                    onClick={() => onOpen(p)}
                    aria-label={`Open passage ${i + 1} in ${p.title || p.fileName}`}
                    className="block w-full rounded-xl border border-slate-200 p-4 text-left transition hover:border-brand-300 hover:bg-brand-50/30"
                  >
                    <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-500">
                      <span className="flex size-5 items-center justify-center rounded-full bg-slate-100 text-[0.7rem] font-semibold text-slate-600">{i + 1}</span>
                      <span className="min-w-0 truncate text-sm font-semibold text-slate-900">{p.title || p.fileName}</span>
                      {p.title && p.title !== p.fileName ? <span className="min-w-0 truncate">{p.fileName}</span> : null}
                      {p.page ? <span>Page {p.page}</span> : null}
                      <span className="ml-auto tabular-nums" title="Relevance score">
                        Score {p.score.toFixed(3)}
                      </span>
                    </div>
                    {heading ? <p className="mt-1 truncate text-xs font-medium text-brand-700">{heading}</p> : null}
                    <p className="mt-2 line-clamp-6 text-sm leading-relaxed break-words whitespace-pre-line text-slate-700" data-testid="passage-text">
                      <Highlighted text={markdownPlainText(p.text)} query={result.query} />
                    </p>
                  </button>
                </li>
              );
            })}
          </ol>
        )
      ) : null}
    </Panel>
  );
}
