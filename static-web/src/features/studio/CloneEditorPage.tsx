import { ArrowLeft, BarChart3, BookOpen, ExternalLink, MessageCircle, Pencil, Star, Trash2 } from "lucide-react";
import { lazy, Suspense, useEffect, useState, type FormEvent, type ReactNode } from "react";
import { Link, NavLink, useNavigate, useParams } from "react-router";
import { ApiError, errorMessage } from "../../api/http";
import { ANSWER_LENGTHS, TONES, type Clone } from "../../api/contract";
import { Alert } from "../../components/ui/Alert";
import { HiddenBanner } from "../moderation/HiddenBanner";
import { Avatar } from "../../components/ui/Avatar";
import { Badge, StatusBadge } from "../../components/ui/Badge";
import { Button, buttonClasses } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/Dialog";
import { Field } from "../../components/ui/Field";
import { FormProblem, errorsFor } from "../../components/ui/FormProblem";
import { ImagePicker, imageErrors } from "../../components/ui/ImagePicker";
import { Input, Textarea } from "../../components/ui/Input";
import { SelectControl } from "../../components/ui/SelectField";
import { EmptyState, Loading } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { capitalize, splitList } from "../../lib/format";
import { formatPricing, toMinor } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import { useCategories, useClone, useDeleteClone, usePublishClone, useSaveClone, useUnpublishClone, useUploadCloneAvatar } from "../clones/queries";
import { KnowledgeTab } from "../knowledge/KnowledgeTab";
import { CreatorsOnly } from "./StudioPage";
import { TryItButton } from "./TryItButton";
import { useWallet } from "../wallet/queries";
import { EMPTY_FORM, FORM_FIELDS, LIMITS, currencyChoices, formFromClone, inputFromForm, type CloneForm } from "./cloneForm";

const TONE_HINTS: Record<string, string> = {
  friendly: "Friendly",
  professional: "Professional",
  casual: "Casual",
  academic: "Academic",
  playful: "Playful",
  direct: "Direct",
};

const CURRENCY_SYMBOLS: Record<string, string> = {
  USD: "$",
  EUR: "€",
  GBP: "£",
  CAD: "CA$",
  AUD: "A$",
  JPY: "¥",
  INR: "₹",
};

/** The error keys each form field answers for. */
const ERROR_KEYS: Record<keyof CloneForm, string[]> = {
  name: ["name"],
  slug: ["slug"],
  tagline: ["tagline"],
  description: ["description"],
  category: ["category"],
  tags: ["tags"],
  greeting: ["persona.greeting"],
  tone: ["persona.tone"],
  answerLength: ["persona.answerLength"],
  instructions: ["persona.instructions"],
  topicsToAvoid: ["persona.topicsToAvoid"],
  dontKnowMessage: ["persona.dontKnowMessage"],
  perMinute: ["pricing.perMinute", "pricing"],
  perMessage: ["pricing.perMessage", "pricing"],
  currency: ["pricing.currency"],
  freeMessages: ["pricing.freeMessages"],
};

function withoutFieldErrors(error: unknown, keys: string[]): unknown {
  if (!(error instanceof ApiError)) return error;
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  const entries = Object.entries(error.errors);
  const kept = entries.filter(([k]) => !drop.has(k.toLowerCase()));
  if (kept.length === entries.length) return error;
  // "status" only says the others exist; with them fixed the summary goes too.
  const rest = kept.filter(([k]) => k.toLowerCase() !== "status");
  if (rest.length === 0) return null;
  return new ApiError({ status: error.status, title: error.title, detail: error.detail, errors: Object.fromEntries(kept) });
}

// The dashboard and its charts load when the tab is opened.
const CloneDashboard = lazy(() => import("../dashboard/DashboardPages").then((m) => ({ default: m.CloneDashboard })));

const SECTION_TITLES = { details: "Edit", knowledge: "Knowledge", dashboard: "Dashboard" } as const;

export function CloneEditorPage() {
  const { id = "new", tab } = useParams();
  const isNew = id === "new";
  const section = !isNew && (tab === "knowledge" || tab === "dashboard") ? tab : "details";
  const navigate = useNavigate();
  const toast = useToast();
  const { me } = useAuth();
  const { categories } = useCategories();

  // The clone being edited: read once per address, then the answers of the saves (a read again must not undo typing).
  const [clone, setClone] = useState<Clone | null>(null);
  const [form, setForm] = useState<CloneForm>(EMPTY_FORM);
  // Prices are in the platform currency (the wallet's): the API refuses any other.
  const currencyOptions = currencyChoices(useWallet().data?.currency, form.currency);
  const loaded = useClone(isNew || clone?.id === id ? null : id);
  const loadError = loaded.data ? null : loaded.error;
  const saveClone = useSaveClone();
  const uploadAvatar = useUploadCloneAvatar();
  const publish = usePublishClone();
  const unpublish = useUnpublishClone();
  const remove = useDeleteClone();
  const [error, setError] = useState<unknown>(null);
  const [avatarFile, setAvatarFile] = useState<File | null>(null);
  const [avatarError, setAvatarError] = useState<unknown>(null);
  const [busy, setBusy] = useState<null | "save" | "publish" | "unpublish" | "delete">(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  useTitle(isNew ? "New clone" : clone ? `${SECTION_TITLES[section]} · ${clone.name}` : "Edit clone");

  useEffect(() => {
    if (isNew) {
      setClone(null);
      setForm(EMPTY_FORM);
    }
  }, [isNew]);
  const fetched = loaded.data;
  const editingId = clone?.id;
  useEffect(() => {
    // Taken once per clone: later reads (a save elsewhere, a reconnect) must not undo what is being typed.
    if (!fetched || isNew || fetched.id === editingId) return;
    setClone(fetched);
    setForm(formFromClone(fetched));
  }, [fetched, isNew, editingId]);

  const set = <K extends keyof CloneForm>(key: K, value: CloneForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    // An edited field drops its old error; the rest stay until the next save.
    setError((current: unknown) => withoutFieldErrors(current, ERROR_KEYS[key]));
  };
  const fieldError = (key: string) => errorsFor(error, key);

  const dirty = clone ? JSON.stringify(form) !== JSON.stringify(formFromClone(clone)) : JSON.stringify(form) !== JSON.stringify(EMPTY_FORM);

  /** Creates or patches the clone, then uploads a picked picture. Returns the saved clone or null on failure. */
  const save = async (): Promise<Clone | null> => {
    setError(null);
    setAvatarError(null);
    let saved: Clone;
    try {
      const input = inputFromForm(form, clone);
      saved = await saveClone.mutateAsync({ id: clone?.id ?? null, input });
    } catch (e) {
      setError(e);
      return null;
    }
    if (avatarFile) {
      try {
        saved = await uploadAvatar.mutateAsync({ id: saved.id, file: avatarFile });
        setAvatarFile(null);
      } catch (e) {
        setAvatarError(e);
      }
    }
    setClone(saved);
    setForm(formFromClone(saved));
    if (!clone) navigate(`/studio/${encodeURIComponent(saved.id)}`, { replace: true });
    return saved;
  };

  const onSave = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy("save");
    try {
      const saved = await save();
      if (saved) toast({ title: saved.status === "published" ? "Changes saved" : "Draft saved" });
    } finally {
      setBusy(null);
    }
  };

  const onPublish = async () => {
    setBusy("publish");
    try {
      const saved = await save();
      if (!saved) return;
      try {
        const published = await publish.mutateAsync(saved.id);
        setClone(published);
        setForm(formFromClone(published));
        toast({ title: "Published", description: "Your clone is now listed in the marketplace." });
      } catch (e) {
        setError(e);
      }
    } finally {
      setBusy(null);
    }
  };

  const onUnpublish = async () => {
    if (!clone) return;
    setBusy("unpublish");
    setError(null);
    try {
      const updated = await unpublish.mutateAsync(clone.id);
      setClone(updated);
      toast({ title: "Unpublished", description: "Your clone is a draft again and hidden from the marketplace." });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const onDelete = async () => {
    if (!clone) return;
    setBusy("delete");
    setDeleteError(null);
    try {
      await remove.mutateAsync(clone);
      setConfirmDelete(false);
      toast({ title: "Clone deleted", description: `"${clone.name}" is gone.` });
      navigate("/studio");
    } catch (e) {
      setDeleteError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  if (loadError) {
    if (loadError instanceof ApiError && loadError.status === 404) {
      return (
        <EmptyState
          title="This clone doesn't exist"
          action={
            <Link to="/studio" className={buttonClasses("primary")}>
              Back to the Studio
            </Link>
          }
        >
          It may have been deleted.
        </EmptyState>
      );
    }
    return (
      <Alert tone="error" title="We couldn't load this clone">
        {errorMessage(loadError)}
      </Alert>
    );
  }
  if (!isNew && !clone) return <Loading label="Loading clone…" />;

  const isCreator = !!me && (me.isCreator || me.isAdmin || me.roles.includes("creator"));
  if (isNew && !isCreator) return <CreatorsOnly />;
  const published = clone?.status === "published";
  const symbol = CURRENCY_SYMBOLS[form.currency] ?? form.currency;

  return (
    <div>
      <Link to="/studio" className="mb-4 inline-flex items-center gap-1.5 text-sm font-medium text-slate-600 hover:text-slate-900">
        <ArrowLeft aria-hidden className="size-4" />
        Studio
      </Link>
      <div className="mb-8 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="min-w-0 text-2xl font-bold tracking-tight wrap-anywhere text-slate-900 sm:text-3xl">
              {isNew ? "New clone" : clone?.name}
            </h1>
            {clone ? <StatusBadge status={clone.status} /> : null}
          </div>
          <p className="mt-1.5 text-sm text-slate-600">
            {section === "knowledge"
              ? "Upload the documents your clone answers from, and check what it would find."
              : section === "dashboard"
              ? "How your clone is used: sessions, revenue, ratings, what people ask and what it could not answer."
              : published
              ? "Listed in the marketplace. Changes show as soon as you save."
              : "Drafts are private. Publish when the description, greeting, instructions and a price are set."}
          </p>
        </div>
        {clone ? (
          <div className="flex flex-wrap gap-2">
            <TryItButton clone={clone} variant="primary" />
            <Link to={`/clones/${encodeURIComponent(clone.slug)}`} className={buttonClasses("outline", "sm")}>
              <ExternalLink aria-hidden className="size-4" />
              {published ? "View in marketplace" : "Preview page"}
            </Link>
          </div>
        ) : null}
      </div>

      {clone?.hiddenAt ? <div className="mb-6"><HiddenBanner clone={clone} /></div> : null}
      {clone ? <EditorTabs routeId={id} /> : null}

      {section === "knowledge" && clone ? (
        <KnowledgeTab clone={clone} />
      ) : section === "dashboard" && clone ? (
        <Suspense fallback={<Loading />}>
          <CloneDashboard cloneId={clone.id} />
        </Suspense>
      ) : (
        <form onSubmit={(e) => void onSave(e)} noValidate>
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
            <div className="min-w-0 space-y-6">
              <FormProblem error={error} shownFields={FORM_FIELDS} />

              <Section title="Basics" description="What people see in the marketplace.">
                <ImagePicker
                  label="Clone picture"
                  name={form.name || "New clone"}
                  seed={clone?.id ?? "new"}
                  currentUrl={clone?.avatarUrl ?? null}
                  file={avatarFile}
                  onFileChange={(f) => {
                    setAvatarFile(f);
                    setAvatarError(null);
                  }}
                  error={imageErrors(avatarError) ?? fieldError("file")}
                  square
                />
                <div className="grid gap-5 sm:grid-cols-2">
                  <Field label="Name" labelNote={`${form.name.length} / ${LIMITS.name}`} error={fieldError("name")}>
                    {(p) => (
                      <Input {...p} value={form.name} onChange={(e) => set("name", e.target.value)} maxLength={LIMITS.name} placeholder="e.g. Dr. Maya — Sleep Coach" required />
                    )}
                  </Field>
                  <Field label="URL slug" labelNote="Optional" hint="Lowercase letters, digits and dashes. Made from the name if empty." error={fieldError("slug")}>
                    {(p) => <Input {...p} value={form.slug} onChange={(e) => set("slug", e.target.value)} maxLength={60} placeholder="maya-sleep-coach" />}
                  </Field>
                </div>
                <Field label="Tagline" labelNote={`${form.tagline.length} / ${LIMITS.tagline}`} hint="One line that sells it." error={fieldError("tagline")}>
                  {(p) => (
                    <Input {...p} value={form.tagline} onChange={(e) => set("tagline", e.target.value)} maxLength={LIMITS.tagline} placeholder="Evidence-based answers for better sleep" />
                  )}
                </Field>
                <Field label="Description" labelNote={`${form.description.length} / ${LIMITS.description}`} hint="Who you are, what the clone knows and who it helps." error={fieldError("description")}>
                  {(p) => <Textarea {...p} value={form.description} onChange={(e) => set("description", e.target.value)} maxLength={LIMITS.description} rows={6} />}
                </Field>
                <div className="grid gap-5 sm:grid-cols-2">
                  <Field label="Category" error={fieldError("category")}>
                    {(p) => (
                      <SelectControl
                        {...p}
                        value={form.category}
                        onValueChange={(v) => set("category", v)}
                        placeholder={categories.length ? "Choose a category" : "Loading categories…"}
                        options={categories.map((c) => ({ value: c.id, label: c.name }))}
                      />
                    )}
                  </Field>
                  <Field label="Tags" hint={`Separate with commas. Up to ${LIMITS.tags}.`} error={fieldError("tags")}>
                    {(p) => <Input {...p} value={form.tags} onChange={(e) => set("tags", e.target.value)} placeholder="sleep, habits, stress" />}
                  </Field>
                </div>
              </Section>

              <Section title="Persona" description="How your clone talks. Instructions are never shown to users.">
                <Field label="Greeting" labelNote={`${form.greeting.length} / ${LIMITS.greeting}`} hint="The first message people see." error={fieldError("persona.greeting")}>
                  {(p) => <Textarea {...p} value={form.greeting} onChange={(e) => set("greeting", e.target.value)} maxLength={LIMITS.greeting} rows={2} placeholder="Hi! I'm Maya. What's keeping you up at night?" />}
                </Field>
                <div className="grid gap-5 sm:grid-cols-2">
                  <Field label="Tone" error={fieldError("persona.tone")}>
                    {(p) => (
                      <SelectControl {...p} value={form.tone} onValueChange={(v) => set("tone", v as CloneForm["tone"])} options={TONES.map((t) => ({ value: t, label: TONE_HINTS[t] ?? capitalize(t) }))} />
                    )}
                  </Field>
                  <Field label="Answer length" error={fieldError("persona.answerLength")}>
                    {(p) => (
                      <SelectControl
                        {...p}
                        value={form.answerLength}
                        onValueChange={(v) => set("answerLength", v as CloneForm["answerLength"])}
                        options={ANSWER_LENGTHS.map((a) => ({ value: a, label: capitalize(a) }))}
                      />
                    )}
                  </Field>
                </div>
                <Field label="Instructions" labelNote={`${form.instructions.length} / ${LIMITS.instructions}`} hint="What the clone knows, how it reasons, what it recommends." error={fieldError("persona.instructions")}>
                  {(p) => <Textarea {...p} value={form.instructions} onChange={(e) => set("instructions", e.target.value)} maxLength={LIMITS.instructions} rows={7} />}
                </Field>
                <div className="grid gap-5 sm:grid-cols-2">
                  <Field label="Topics to avoid" hint="One per line or separated by commas." error={fieldError("persona.topicsToAvoid")}>
                    {(p) => <Textarea {...p} value={form.topicsToAvoid} onChange={(e) => set("topicsToAvoid", e.target.value)} rows={3} placeholder={"medication dosages\nlegal advice"} />}
                  </Field>
                  <Field label="When it doesn't know" hint="What the clone says outside its knowledge." error={fieldError("persona.dontKnowMessage")}>
                    {(p) => <Textarea {...p} value={form.dontKnowMessage} onChange={(e) => set("dontKnowMessage", e.target.value)} maxLength={LIMITS.dontKnow} rows={3} />}
                  </Field>
                </div>
              </Section>

              <Section title="Pricing" description="Charge per minute, per message, or both. Leave a price empty to not charge that way.">
                {fieldError("pricing").length ? (
                  <Alert tone="error">{fieldError("pricing").join(" ")}</Alert>
                ) : null}
                <div className="grid gap-5 sm:grid-cols-2">
                  <Field label="Price per minute" error={fieldError("pricing.perMinute")}>
                    {(p) => (
                      <MoneyInput symbol={symbol}>
                        <Input {...p} inputMode="decimal" value={form.perMinute} onChange={(e) => set("perMinute", e.target.value)} placeholder="0.50" className="pl-12" />
                      </MoneyInput>
                    )}
                  </Field>
                  <Field label="Price per message" error={fieldError("pricing.perMessage")}>
                    {(p) => (
                      <MoneyInput symbol={symbol}>
                        <Input {...p} inputMode="decimal" value={form.perMessage} onChange={(e) => set("perMessage", e.target.value)} placeholder="0.10" className="pl-12" />
                      </MoneyInput>
                    )}
                  </Field>
                  <Field label="Currency" error={fieldError("pricing.currency")}>
                    {(p) => (
                      <SelectControl {...p} value={form.currency} onValueChange={(v) => set("currency", v as CloneForm["currency"])} options={currencyOptions.map((c) => ({ value: c, label: `${c} (${CURRENCY_SYMBOLS[c] ?? c})` }))} />
                    )}
                  </Field>
                  <Field label="Free messages" hint="Messages a new user gets before paying." error={fieldError("pricing.freeMessages")}>
                    {(p) => <Input {...p} type="number" inputMode="numeric" min={0} max={LIMITS.freeMessages} step={1} value={form.freeMessages} onChange={(e) => set("freeMessages", e.target.value)} />}
                  </Field>
                </div>
              </Section>
            </div>

            <aside className="space-y-4 lg:sticky lg:top-24 lg:self-start">
              <Preview form={form} clone={clone} avatarFile={avatarFile} />
            </aside>
          </div>

          <div className="sticky bottom-0 z-30 -mx-4 mt-8 border-t border-slate-200 bg-white/90 px-4 py-3 backdrop-blur sm:-mx-6 sm:px-6">
            <div className="flex items-center gap-2">
              {clone ? (
                <Button
                  variant="ghost"
                  className="px-2.5 text-red-600 hover:bg-red-50 hover:text-red-700 sm:px-4"
                  onClick={() => setConfirmDelete(true)}
                  disabled={busy !== null}
                >
                  <Trash2 aria-hidden className="size-4" />
                  <span className="sr-only sm:not-sr-only">Delete</span>
                </Button>
              ) : null}
              <p className="mr-auto hidden text-xs text-slate-500 sm:block" aria-live="polite">
                {dirty ? "Unsaved changes" : clone ? "All changes saved" : ""}
              </p>
              <span className="mr-auto sm:hidden" />
              <Button type="submit" variant="outline" loading={busy === "save"} disabled={busy !== null && busy !== "save"}>
                Save
              </Button>
              {published ? (
                <Button variant="secondary" loading={busy === "unpublish"} disabled={busy !== null && busy !== "unpublish"} onClick={() => void onUnpublish()}>
                  Unpublish
                </Button>
              ) : (
                <Button loading={busy === "publish"} disabled={busy !== null && busy !== "publish"} onClick={() => void onPublish()}>
                  Publish
                </Button>
              )}
            </div>
          </div>
        </form>
      )}

      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={(open) => {
          setConfirmDelete(open);
          if (!open) setDeleteError(null);
        }}
        title="Delete this clone?"
        description={
          <>
            <strong className="font-semibold text-slate-900">{clone?.name}</strong> will be removed from the marketplace and
            your Studio. This can't be undone.
          </>
        }
        confirmLabel="Delete clone"
        destructive
        busy={busy === "delete"}
        error={deleteError}
        onConfirm={() => void onDelete()}
      />
    </div>
  );
}

/** Details | Knowledge | Dashboard, as links so each tab has its own address (the id is the one in the address: id or slug). */
function EditorTabs({ routeId }: { routeId: string }) {
  const base = `/studio/${encodeURIComponent(routeId)}`;
  const tabClass = ({ isActive }: { isActive: boolean }) =>
    `-mb-px inline-flex items-center gap-2 border-b-2 px-1 pb-3 text-sm font-medium transition-colors ${
      isActive ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800"
    }`;
  return (
    <nav aria-label="Clone editor sections" className="mb-6 flex gap-6 border-b border-slate-200">
      <NavLink to={base} end className={tabClass}>
        <Pencil aria-hidden className="size-4" />
        Details
      </NavLink>
      <NavLink to={`${base}/knowledge`} className={tabClass}>
        <BookOpen aria-hidden className="size-4" />
        Knowledge
      </NavLink>
      <NavLink to={`${base}/dashboard`} className={tabClass}>
        <BarChart3 aria-hidden className="size-4" />
        Dashboard
      </NavLink>
    </nav>
  );
}

function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <section className="rounded-2xl border border-slate-200 bg-white p-5 shadow-xs sm:p-7">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      <p className="mt-0.5 mb-6 text-sm text-slate-500">{description}</p>
      <div className="space-y-5">{children}</div>
    </section>
  );
}

function MoneyInput({ symbol, children }: { symbol: string; children: ReactNode }) {
  return (
    <div className="relative">
      <span aria-hidden className="pointer-events-none absolute inset-y-0 left-0 flex w-10 items-center justify-center border-r border-slate-200 text-sm text-slate-500">
        {symbol}
      </span>
      {children}
    </div>
  );
}

function Preview({ form, clone, avatarFile }: { form: CloneForm; clone: Clone | null; avatarFile: File | null }) {
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!avatarFile) {
      setPreviewUrl(null);
      return;
    }
    const url = URL.createObjectURL(avatarFile);
    setPreviewUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [avatarFile]);

  const perMinute = toMinor(form.perMinute, form.currency);
  const perMessage = toMinor(form.perMessage, form.currency);
  const free = Number(form.freeMessages);
  const price = formatPricing({
    perMinute: perMinute === null || Number.isNaN(perMinute) ? null : perMinute,
    perMessage: perMessage === null || Number.isNaN(perMessage) ? null : perMessage,
    currency: form.currency,
    freeMessages: Number.isInteger(free) && free > 0 ? free : 0,
  });
  const tags = splitList(form.tags).slice(0, 3);
  const name = form.name.trim() || "Your clone";

  return (
    <div aria-label="Marketplace preview" role="region" className="min-w-0 space-y-4">
      <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Preview</p>
      <div className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
        <div className="flex items-start gap-4">
          <Avatar name={name} seed={clone?.id ?? "new"} src={previewUrl ?? clone?.avatarUrl ?? null} square className="size-14 text-lg" />
          <div className="min-w-0">
            <p className="truncate font-semibold text-slate-900">{name}</p>
            <p className="line-clamp-2 text-sm text-slate-500">{form.tagline || "Your tagline shows here."}</p>
          </div>
        </div>
        {tags.length ? (
          <div className="mt-4 flex flex-wrap gap-1.5">
            {tags.map((t) => (
              <Badge key={t}>#{t}</Badge>
            ))}
          </div>
        ) : null}
        <div className="mt-4 flex items-center justify-between border-t border-slate-100 pt-4 text-sm">
          <span className="flex items-center gap-1 text-slate-500">
            <Star aria-hidden className="size-4 text-slate-300" />
            New
          </span>
          <span className="text-right font-semibold text-slate-900">{price}</span>
        </div>
      </div>
      <div className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
        <p className="mb-3 flex items-center gap-1.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">
          <MessageCircle aria-hidden className="size-3.5" />
          First message
        </p>
        <p className="rounded-2xl rounded-tl-sm bg-slate-100 px-4 py-3 text-sm leading-relaxed whitespace-pre-wrap text-slate-800">
          {form.greeting || "Your greeting shows here."}
        </p>
        <p className="mt-3 text-xs text-slate-500">
          {capitalize(form.tone)} tone · {form.answerLength} answers
        </p>
      </div>
    </div>
  );
}
