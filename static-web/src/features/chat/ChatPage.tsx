import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Clock, Coins, Download, FileJson, FileText, MessageSquare, Power, SendHorizontal, Star } from "lucide-react";
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Link, useLocation, useParams } from "react-router";
import { ApiError, errorMessage } from "../../api/http";
import type { ChatSession, Citation, ExportFormat, SessionMessage } from "../../api/contract";
import { Alert } from "../../components/ui/Alert";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { Button, buttonClasses } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/Dialog";
import { EmptyState, Loading } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatDateTime } from "../../lib/format";
import { formatMoney, formatPricing } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import { costAt, elapsedAt, endReasonText, formatDuration, spokenDuration, useNow } from "./clock";
import { FailureNotice, MessageBubble, Stars } from "./parts";
import { useAsk, useEndSession, useExportSession, useSession } from "./queries";
import { RateDialog } from "./RateDialog";
import { useWalletSummary, walletKey } from "./billing";
import { LowBalanceNote, OutOfCredit } from "./BillingNotes";
import { SourceViewer } from "./SourceViewer";
import { readFrames } from "./sse";
import { chatReducer, isAnswering, toFailure, type ChatItem } from "./state";
import { saveBlob } from "./download";
import { PREVIEW_LABEL, canRate, isPreview, pricingLine, receiptExpected } from "../studio/preview";
import { SessionRecap } from "./SessionRecap";
import { DeleteSession } from "./DeleteSession";
import { useClone } from "../clones/queries";
import { ReportDialog } from "../moderation/ReportDialog";
import { VerifiedBadge } from "../moderation/VerifiedBadge";

/** A session read from the API and the moment (this browser's clock) it was read: the timer runs on from there. */
interface Synced {
  session: ChatSession;
  at: number;
}

const menuContentClass =
  "z-50 min-w-48 overflow-hidden rounded-xl border border-slate-200 bg-white p-1 shadow-xl shadow-slate-900/10 animate-fade-in";
const menuItemClass =
  "flex h-9 cursor-pointer items-center gap-2.5 rounded-lg px-2.5 text-sm text-slate-700 outline-none select-none data-[highlighted]:bg-slate-100 data-[highlighted]:text-slate-900 data-[disabled]:opacity-50";

function newKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // Pages served over plain http from another machine have no randomUUID: still a unique enough key.
  return `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export function ChatPage() {
  const { id = "" } = useParams();
  const { config } = useAuth();
  const toast = useToast();
  const [synced, setSynced] = useState<Synced | null>(null);
  const [items, dispatch] = useReducer(chatReducer, []);
  // A question chosen on the clone page ("Pick up where you left off") waits in the message box.
  const opening = (useLocation().state as { ask?: unknown } | null)?.ask;
  const [draft, setDraft] = useState(typeof opening === "string" ? opening : "");
  const [citation, setCitation] = useState<Citation | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [ending, setEnding] = useState(false);
  const [endError, setEndError] = useState<string | null>(null);
  const [rating, setRating] = useState(false);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const inFlight = useRef<AbortController | null>(null);
  const follow = useRef(true);
  const bottom = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const detail = useSession(id);
  const { refetch } = detail;
  const loadError = detail.data ? null : detail.error;
  const askSession = useAsk();
  const end = useEndSession();
  const exporter = useExportSession();

  const session = synced?.session ?? null;
  useTitle(session ? `Session with ${session.cloneName}` : "Session");
  // The clone's public record: its Verified badge in the header (none once the clone is gone or hidden).
  const cloneInfo = useClone(session?.cloneId ?? null);
  const [reporting, setReporting] = useState<string | null>(null);

  // A session never comes back to life: a slow read that started before the end must not show it active again.
  const applySession = useCallback(
    (s: ChatSession) =>
      setSynced((cur) => (cur && cur.session.id === s.id && cur.session.status !== "active" && s.status === "active" ? cur : { session: s, at: Date.now() })),
    [],
  );

  // The session and its messages: the messages are taken from the first read of each session, and later reads (after an
  // answer, now and then) bring only the session's state.
  const messagesOf = useRef<string | null>(null);
  useEffect(() => {
    setSynced(null);
    dispatch({ type: "load", messages: [] });
    messagesOf.current = null;
  }, [id]);
  const data = detail.data;
  useEffect(() => {
    if (!data || data.session.id !== id) return;
    applySession(data.session);
    if (messagesOf.current === id) return;
    messagesOf.current = id;
    dispatch({ type: "load", messages: data.messages ?? [] });
    follow.current = true;
  }, [data, id, applySession]);

  // Stop reading an answer when leaving the page.
  useEffect(() => () => inFlight.current?.abort(), []);

  const queryClient = useQueryClient();
  /**
   * Reads the session again quietly (its counts, its state) after an answer or a refusal, and the wallet: a message's charge
   * is posted once its answer is stored, before the response ends.
   */
  const refreshSession = useCallback(() => {
    void refetch();
    void queryClient.invalidateQueries({ queryKey: walletKey });
  }, [refetch, queryClient]);

  const active = session?.status === "active";
  // A low balance is noted while a paid session runs (a preview costs nothing).
  const wallet = useWalletSummary(!!session && active && !isPreview(session));
  const now = useNow(!!active);

  // The API ends an idle (or too long) session by itself: look again now and then, which also refreshes the cost.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && !inFlight.current) refreshSession();
    }, 60_000);
    return () => clearInterval(timer);
  }, [active, refreshSession]);

  const elapsed = synced ? elapsedAt(synced.session, synced.at, now) : 0;
  const cost = session ? costAt(session, elapsed) : null;
  const answering = isAnswering(items);

  // Keep the newest words in view while the reader is at the bottom.
  useEffect(() => {
    const onScroll = () => {
      const el = bottom.current;
      if (el) follow.current = el.getBoundingClientRect().top <= window.innerHeight + 48;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);
  useLayoutEffect(() => {
    if (follow.current && items.length > 0) bottom.current?.scrollIntoView({ block: "end" });
  }, [items]);

  const ask = async (content: string, clientMessageId: string) => {
    follow.current = true;
    dispatch({ type: "send", clientMessageId, content, at: new Date().toISOString() });
    const controller = new AbortController();
    inFlight.current = controller;
    let finished = false;
    try {
      const response = await askSession(id, { content, clientMessageId }, controller.signal);
      const type = response.headers.get("Content-Type") ?? "";
      if (!type.includes("text/event-stream") || !response.body) {
        // A whole answer as JSON (a server that does not stream).
        const message = (await response.json()) as SessionMessage;
        dispatch({ type: "answered", clientMessageId, message });
        finished = true;
        refreshSession();
        return;
      }
      await readFrames(
        response.body,
        (frame) => {
          if (frame.sessionId && frame.sessionId !== id) return;
          if (frame.type === "end") {
            finished = true;
            setSynced((cur) =>
              cur ? { session: { ...cur.session, cost: frame.cost, elapsedSeconds: frame.elapsedSeconds }, at: Date.now() } : cur,
            );
          }
          if (frame.type === "error") finished = true;
          dispatch({ type: "frame", clientMessageId, frame });
        },
        controller.signal,
      );
      if (finished) refreshSession();
      else
        dispatch({
          type: "failed",
          clientMessageId,
          failure: {
            title: "The answer was cut off",
            messages: ["The connection closed before the answer was complete. Retry to get it in full."],
            retryable: true,
          },
        });
    } catch (error) {
      if (controller.signal.aborted) return;
      const failure = toFailure(error);
      dispatch({ type: "failed", clientMessageId, failure });
      // A question refused as it stands (too long...) goes back into the box to be edited.
      if (error instanceof ApiError && error.status === 400) setDraft((current) => current || content);
      // A refusal may mean the session ended meanwhile (409): show its state.
      if (error instanceof ApiError && error.status !== 0) refreshSession();
    } finally {
      if (inFlight.current === controller) inFlight.current = null;
    }
  };

  const onSubmit = (event?: FormEvent) => {
    event?.preventDefault();
    const content = draft.trim();
    if (!content || answering || !active) return;
    setDraft("");
    void ask(content, newKey());
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      onSubmit();
    }
  };

  const retry = (item: ChatItem) => {
    if (!item.clientMessageId || answering) return;
    void ask(item.content, item.clientMessageId); // the same key: answered once, billed once
  };

  const endSession = async () => {
    setEnding(true);
    setEndError(null);
    try {
      applySession(await end.mutateAsync(id));
      setConfirmEnd(false);
    } catch (e) {
      setEndError(errorMessage(e));
    } finally {
      setEnding(false);
    }
  };

  const exportAs = async (format: ExportFormat) => {
    setExporting(format);
    try {
      const file = await exporter.mutateAsync({ id, format });
      saveBlob(file.blob, file.fileName);
    } catch (e) {
      toast({ title: "The export failed", description: errorMessage(e), tone: "error" });
    } finally {
      setExporting(null);
    }
  };

  // Grow the message box with its text, up to a limit.
  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [draft]);

  if (loadError) {
    if (loadError instanceof ApiError && (loadError.status === 404 || loadError.status === 403)) {
      return (
        <EmptyState
          title="This session doesn't exist"
          action={
            <Link to="/sessions" className={buttonClasses("primary")}>
              My sessions
            </Link>
          }
        >
          It may belong to another account, or the link is mistyped.
        </EmptyState>
      );
    }
    return (
      <Alert tone="error" title="We couldn't load this session">
        {errorMessage(loadError)}
      </Alert>
    );
  }
  if (!session || !cost) return <Loading label="Loading session…" />;

  const clonePath = session.cloneSlug ? `/clones/${encodeURIComponent(session.cloneSlug)}` : `/clones/${encodeURIComponent(session.cloneId)}`;

  // A failed question's notice goes under its (cut-off) answer, or under the question when there is none.
  const noticeAfter = new Map<string, ChatItem>();
  for (const item of items) {
    if (item.role !== "user" || !item.failure || !item.clientMessageId) continue;
    const answer = items.find((a) => a.key === `a:${item.clientMessageId}`);
    noticeAfter.set(answer?.key ?? item.key, item);
  }

  return (
    // At least a screen tall (below the bar and the page's top padding), so the message box sits at the bottom.
    <div className="mx-auto flex min-h-[calc(100dvh-5.5rem)] max-w-3xl flex-col gap-5">
      <Link to="/sessions" className="inline-flex items-center gap-1.5 self-start text-sm font-medium text-slate-600 hover:text-slate-900">
        <ArrowLeft aria-hidden className="size-4" />
        My sessions
      </Link>

      <header className="rounded-2xl border border-slate-200 bg-white p-4 shadow-xs sm:p-5" aria-label="Session">
        <div className="flex flex-wrap items-start gap-x-4 gap-y-3">
          <div className="flex min-w-0 flex-1 basis-56 items-start gap-3">
            <Avatar name={session.cloneName} seed={session.cloneId} square className="size-11 text-sm" />
            <div className="min-w-0">
              <div className="flex flex-wrap items-center gap-2">
                <h1 className="min-w-0 text-lg font-bold tracking-tight wrap-anywhere text-slate-900 sm:text-xl">
                  <Link to={clonePath} className="hover:text-brand-700">
                    {session.cloneName}
                  </Link>
                </h1>
                {active ? (
                  <Badge tone="success">
                    <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-emerald-500" />
                    Active
                  </Badge>
                ) : (
                  <Badge>Ended</Badge>
                )}
                {cloneInfo.data?.verified ? <VerifiedBadge kind="clone" /> : null}
                {isPreview(session) ? (
                  <span data-testid="preview-badge">
                    <Badge tone="brand">{PREVIEW_LABEL}</Badge>
                  </span>
                ) : null}
              </div>
              <p className="mt-0.5 text-xs text-slate-500">Started {formatDateTime(session.startedAt)}</p>
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            {canRate(session) ? (
              <Button variant="outline" size="sm" onClick={() => setRating(true)}>
                <Star aria-hidden className="size-4" />
                {session.rating ? "Edit rating" : "Rate"}
              </Button>
            ) : null}
            <DropdownMenu.Root modal={false}>
              <DropdownMenu.Trigger asChild>
                <Button variant="outline" size="sm" loading={exporting !== null}>
                  {exporting === null ? <Download aria-hidden className="size-4" /> : null}
                  Export
                </Button>
              </DropdownMenu.Trigger>
              <DropdownMenu.Portal>
                <DropdownMenu.Content align="end" sideOffset={6} className={menuContentClass}>
                  <DropdownMenu.Item className={menuItemClass} onSelect={() => void exportAs("markdown")}>
                    <FileText aria-hidden className="size-4 text-slate-400" />
                    Markdown (.md)
                  </DropdownMenu.Item>
                  <DropdownMenu.Item className={menuItemClass} onSelect={() => void exportAs("json")}>
                    <FileJson aria-hidden className="size-4 text-slate-400" />
                    JSON (.json)
                  </DropdownMenu.Item>
                  <DropdownMenu.Item className={menuItemClass} onSelect={() => void exportAs("pdf")}>
                    <FileText aria-hidden className="size-4 text-slate-400" />
                    PDF (.pdf)
                  </DropdownMenu.Item>
                </DropdownMenu.Content>
              </DropdownMenu.Portal>
            </DropdownMenu.Root>
            {active ? (
              <Button variant="danger" size="sm" onClick={() => setConfirmEnd(true)}>
                <Power aria-hidden className="size-4" />
                End session
              </Button>
            ) : (
              <DeleteSession sessionId={session.id} />
            )}
          </div>
        </div>

        <dl className="mt-4 grid grid-cols-2 gap-3 border-t border-slate-100 pt-4 text-sm sm:grid-cols-[auto_auto_minmax(0,1fr)] sm:gap-x-8">
          <div className="min-w-0">
            <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-500">
              <Clock aria-hidden className="size-3.5" />
              {active ? "Time" : "Length"}
            </dt>
            <dd className="mt-0.5 text-base font-semibold text-slate-900 tabular-nums" data-testid="session-timer" title={spokenDuration(elapsed)}>
              {formatDuration(elapsed)}
            </dd>
          </div>
          <div className="min-w-0">
            <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-500">
              <Coins aria-hidden className="size-3.5" />
              {active ? "Cost so far" : "Cost"}
            </dt>
            <dd className="mt-0.5 text-base font-semibold text-slate-900 tabular-nums" data-testid="session-cost">
              {formatMoney(cost.amount, cost.currency)}
            </dd>
          </div>
          <div className="col-span-2 min-w-0 sm:col-span-1">
            <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-500">
              <MessageSquare aria-hidden className="size-3.5" />
              Pricing
            </dt>
            <dd className="mt-0.5 text-slate-700" data-testid="session-pricing">
              {pricingLine(session, formatPricing(session.pricing))}
            </dd>
          </div>
        </dl>

        {session.rating ? (
          <div className="mt-4 flex flex-wrap items-center gap-x-2 gap-y-1 rounded-xl bg-amber-50/60 px-3 py-2 text-sm" data-testid="session-rating">
            <span className="font-medium text-slate-700">Your rating</span>
            <Stars value={session.rating} />
            {session.ratingComment ? <span className="min-w-0 break-words text-slate-600">“{session.ratingComment}”</span> : null}
          </div>
        ) : null}
      </header>

      {!active && session.endReason === "out-of-credit" ? <OutOfCredit /> : null}
      {!active ? (
        <Alert tone="info" title="This session has ended">
          <p data-testid="session-summary">
            {endReasonText(session.endReason)} Length {formatDuration(session.elapsedSeconds)} ({spokenDuration(session.elapsedSeconds)}), cost{" "}
            {formatMoney(session.cost.amount, session.cost.currency)}
            {session.messageCount ? `, ${session.messageCount} question${session.messageCount === 1 ? "" : "s"} answered` : ""}.
            {receiptExpected(config.features, session) ? " A receipt is on its way to your email." : ""}
          </p>
          <Link to={clonePath} className="mt-1 inline-block font-medium text-brand-700 hover:underline">
            Start a new session with {session.cloneName}
          </Link>
        </Alert>
      ) : null}
      <SessionRecap sessionId={session.id} ended={!active} />

      <section aria-label="Conversation" aria-busy={answering} className="flex flex-1 flex-col gap-4">
        {items.length === 0 ? (
          <div className="flex flex-col items-center gap-2 rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
            <Avatar name={session.cloneName} seed={session.cloneId} className="size-12 text-base" />
            <p className="font-semibold text-slate-900">{active ? `Ask ${session.cloneName} anything` : "No messages in this session"}</p>
            {active ? (
              <p className="max-w-sm text-sm text-slate-600">Answers come from the clone's sources, with numbered citations you can open.</p>
            ) : null}
          </div>
        ) : (
          items.map((item) => {
            const failed = noticeAfter.get(item.key);
            return (
              <div key={item.key} className="flex flex-col gap-2">
                <MessageBubble
                  item={item}
                  cloneName={session.cloneName}
                  cloneSeed={session.cloneId}
                  onOpenCitation={setCitation}
                  onReport={isPreview(session) ? undefined : setReporting}
                />
                {failed ? (
                  <FailureNotice item={failed} canRetry={active && !answering && !!failed.failure?.retryable} onRetry={() => retry(failed)} />
                ) : null}
              </div>
            );
          })
        )}
        <div ref={bottom} aria-hidden className="h-px scroll-mb-40" />
      </section>

      {active ? <LowBalanceNote wallet={wallet.data} /> : null}

      <form
        onSubmit={onSubmit}
        className="sticky bottom-0 z-20 -mx-4 border-t border-slate-200 bg-slate-50/95 px-4 pt-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] backdrop-blur supports-[backdrop-filter]:bg-slate-50/80 sm:mx-0 sm:rounded-t-2xl sm:border-x sm:px-4"
      >
        <label htmlFor="chat-message" className="sr-only">
          Message
        </label>
        <div className="flex items-end gap-2">
          <textarea
            id="chat-message"
            ref={input}
            rows={1}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            disabled={!active}
            placeholder={active ? `Message ${session.cloneName}…` : "This session has ended"}
            aria-describedby="chat-message-hint"
            className="block max-h-40 min-h-11 w-full min-w-0 flex-1 resize-none rounded-xl border border-slate-300 bg-white px-3.5 py-2.5 text-[0.95rem] leading-snug text-slate-900 shadow-xs placeholder:text-slate-400 hover:border-slate-400 focus:border-brand-500 focus:ring-3 focus:ring-brand-500/20 focus:outline-none disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500"
          />
          <Button type="submit" className="h-11 w-11 shrink-0 rounded-xl px-0 sm:w-auto sm:px-4" disabled={!active || answering || !draft.trim()} aria-label="Send">
            <SendHorizontal aria-hidden className="size-5" />
            <span className="hidden sm:inline">Send</span>
          </Button>
        </div>
        <p id="chat-message-hint" className="mt-1.5 flex flex-wrap justify-between gap-x-3 text-xs text-slate-500">
          <span>{active ? (answering ? `${session.cloneName} is answering…` : "Enter to send · Shift+Enter for a new line") : "Start a new session to keep asking."}</span>
          <span className="tabular-nums" aria-hidden>
            {formatDuration(elapsed)} · {formatMoney(cost.amount, cost.currency)}
          </span>
        </p>
      </form>

      <SourceViewer sessionId={session.id} citation={citation} onClose={() => setCitation(null)} />
      <RateDialog session={session} open={rating} onOpenChange={setRating} onRated={applySession} />
      <ReportDialog
        target={{ cloneId: session.cloneId, cloneName: session.cloneName, answer: { sessionId: session.id, messageId: reporting ?? "" } }}
        open={reporting !== null}
        onOpenChange={(open) => (open ? null : setReporting(null))}
      />
      <ConfirmDialog
        open={confirmEnd}
        onOpenChange={(open) => {
          setConfirmEnd(open);
          if (!open) setEndError(null);
        }}
        title="End this session?"
        description={
          <>
            The clock stops at {formatDuration(elapsed)} and the cost is final ({formatMoney(cost.amount, cost.currency)} so far). You can still
            read, rate and export the conversation.
          </>
        }
        confirmLabel="End session"
        destructive
        busy={ending}
        error={endError}
        onConfirm={() => void endSession()}
      />
    </div>
  );
}
