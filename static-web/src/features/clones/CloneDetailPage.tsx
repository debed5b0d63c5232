import { ArrowLeft, Clock, MessageCircle, MessagesSquare, Pencil, Star } from "lucide-react";
import { useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { ApiError, errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Avatar } from "../../components/ui/Avatar";
import { Badge, StatusBadge } from "../../components/ui/Badge";
import { Button, buttonClasses } from "../../components/ui/Button";
import { EmptyState, Loading } from "../../components/ui/States";
import { formatDate, formatRating, capitalize } from "../../lib/format";
import { formatPricing } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import { CloneProgressSection } from "../progress/CloneProgressSection";
import { useStartSession } from "../chat/queries";
import { isPaymentRequired, useWalletSummary } from "../chat/billing";
import { BalanceCover, OutOfCredit } from "../chat/BillingNotes";
import { NextQuestionChips } from "../recommendations/NextQuestionChips";
import { useCategories, useClone } from "./queries";
import { ReportButton } from "../moderation/ReportDialog";
import { VerifiedBadge } from "../moderation/VerifiedBadge";

export function CloneDetailPage() {
  const { slug = "" } = useParams();
  const { me, status } = useAuth();
  const { categoryName } = useCategories();
  // A draft needs the owner's token: read once the signed-in state is known.
  const query = useClone(status === "loading" ? null : slug);
  const clone = query.data ?? null;
  const error = clone ? null : query.error;
  const start = useStartSession();
  // What the wallet covers at this clone's price (not for the owner's own clone: a free preview).
  const ownsIt = !!me && !!clone && me.id === clone.ownerId;
  const wallet = useWalletSummary(status === "signedIn" && !!clone && !ownsIt);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);
  const navigate = useNavigate();
  const location = useLocation();
  useTitle(clone?.name ?? "Clone");

  /** Starts a session; with a question, the chat opens with it in the message box. */
  const startSession = async (ask?: string) => {
    if (!clone) return;
    if (status !== "signedIn") {
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    setStarting(true);
    setStartError(null);
    try {
      const session = await start.mutateAsync(clone.id);
      navigate(`/sessions/${encodeURIComponent(session.id)}`, ask ? { state: { ask } } : undefined);
    } catch (e) {
      setStartError(e);
      setStarting(false);
    }
  };

  if (error) {
    if (error instanceof ApiError && error.status === 404) {
      return (
        <EmptyState
          title="This clone doesn't exist"
          action={
            <Link to="/" className={buttonClasses("primary")}>
              Browse the marketplace
            </Link>
          }
        >
          It may have been unpublished or removed by its creator.
        </EmptyState>
      );
    }
    return (
      <Alert tone="error" title="We couldn't load this clone">
        {errorMessage(error)}
      </Alert>
    );
  }
  if (!clone) return <Loading label="Loading clone…" />;

  const isOwner = !!me && (me.id === clone.ownerId || me.isAdmin);
  // The owner's own sessions are previews (free, not counted); an admin's session with someone else's clone is not.
  const ownClone = !!me && me.id === clone.ownerId;

  return (
    <div className="space-y-6">
      <Link to="/" className="inline-flex items-center gap-1.5 text-sm font-medium text-slate-600 hover:text-slate-900">
        <ArrowLeft aria-hidden className="size-4" />
        Marketplace
      </Link>

      {clone.hiddenAt ? (
        <Alert tone="error" title="This clone is hidden from the marketplace">
          {clone.hiddenReason ?? "Moderation hid it until an admin reviews it."} Only you and admins can see this page.
        </Alert>
      ) : null}
      {clone.status !== "published" ? (
        <Alert tone="info" title="This clone is a draft">
          Only you can see this page. Publish it from the Studio to list it in the marketplace.
        </Alert>
      ) : null}

      {/* On a phone: header, then price and greeting, then the description. */}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:grid-rows-[auto_1fr] lg:items-start">
        <section className="min-w-0 rounded-2xl border border-slate-200 bg-white p-6 shadow-xs sm:p-8 lg:col-start-1 lg:row-start-1">
          <div className="flex flex-col gap-5 sm:flex-row sm:items-start">
            <Avatar name={clone.name} seed={clone.id} src={clone.avatarUrl} square className="size-24 text-3xl" alt={`Picture of ${clone.name}`} />
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone="brand">{categoryName(clone.category)}</Badge>
                {isOwner ? <StatusBadge status={clone.status} /> : null}
              </div>
              <div className="mt-2 flex flex-wrap items-center gap-2">
                <h1 className="min-w-0 text-2xl font-bold tracking-tight wrap-anywhere text-slate-900 sm:text-3xl">{clone.name}</h1>
                {clone.verified ? <VerifiedBadge kind="clone" /> : null}
              </div>
              {clone.tagline ? <p className="mt-1.5 text-base text-slate-600 sm:text-lg">{clone.tagline}</p> : null}
              <p className="mt-3 text-sm wrap-anywhere text-slate-500">
                Created by{" "}
                <Link to={`/creators/${encodeURIComponent(clone.ownerId)}`} className="font-medium text-slate-700 underline-offset-2 hover:text-brand-700 hover:underline">
                  {clone.ownerName || "an expert"}
                </Link>
                {clone.ownerVerified ? <span className="sr-only"> (a verified expert)</span> : null}
                {clone.publishedAt ? <> · Published {formatDate(clone.publishedAt)}</> : null}
              </p>
            </div>
            {isOwner ? (
              <Link to={`/studio/${encodeURIComponent(clone.id)}`} className={buttonClasses("outline", "sm", "self-start")}>
                <Pencil aria-hidden className="size-4" />
                Edit in Studio
              </Link>
            ) : (
              <ReportButton target={{ cloneId: clone.id, cloneName: clone.name }} variant="ghost" size="sm" className="self-start" />
            )}
          </div>

          <dl className="mt-6 grid grid-cols-1 gap-3 border-t border-slate-100 pt-6 text-sm sm:grid-cols-3">
            <div className="flex items-center gap-2">
              <Star aria-hidden className={clone.ratingCount ? "size-5 fill-amber-400 text-amber-400" : "size-5 text-slate-300"} />
              <dt className="sr-only">Rating</dt>
              <dd className="text-slate-700">{formatRating(clone.rating, clone.ratingCount)}</dd>
            </div>
            <div className="flex items-center gap-2">
              <MessagesSquare aria-hidden className="size-5 text-slate-400" />
              <dt className="sr-only">Sessions</dt>
              <dd className="text-slate-700">
                {clone.sessionCount.toLocaleString("en-US")} session{clone.sessionCount === 1 ? "" : "s"}
              </dd>
            </div>
            <div className="flex items-center gap-2">
              <Clock aria-hidden className="size-5 text-slate-400" />
              <dt className="sr-only">Answer style</dt>
              <dd className="text-slate-700">
                {capitalize(clone.persona.tone)}, {clone.persona.answerLength} answers
              </dd>
            </div>
          </dl>
        </section>

        <aside className="space-y-6 lg:sticky lg:top-24 lg:col-start-2 lg:row-span-2 lg:row-start-1">
          <section className="rounded-2xl border border-slate-200 bg-white p-6 shadow-xs">
            <h2 className="text-sm font-semibold tracking-wide text-slate-500 uppercase">Pricing</h2>
            <p className="mt-2 text-base leading-relaxed font-semibold text-slate-900">{formatPricing(clone.pricing)}</p>
            <Button
              size="lg"
              className="mt-5 w-full"
              loading={starting}
              disabled={status === "loading"}
              aria-describedby="start-session-note"
              onClick={() => void startSession()}
            >
              {starting ? null : <MessageCircle aria-hidden className="size-5" />}
              {ownClone ? "Try it" : "Start session"}
            </Button>
            <p id="start-session-note" className="mt-2 text-center text-sm text-slate-500">
              {status === "signedOut"
                ? "Log in or sign up first — it takes a minute."
                : ownClone
                  ? "Your own clone: a free preview, not billed and not counted in its statistics."
                  : "The price is locked in when the session starts. End it any time."}
            </p>
            {!ownClone && status === "signedIn" ? <BalanceCover wallet={wallet.data} pricing={clone.pricing} /> : null}
            <NextQuestionChips cloneId={clone.id} enabled={status === "signedIn"} disabled={starting} onAsk={(q) => void startSession(q)} />
            {startError && isPaymentRequired(startError) ? (
              <div className="mt-4">
                <OutOfCredit title="Not enough in your wallet" detail={errorMessage(startError)} />
              </div>
            ) : startError ? (
              <Alert tone="error" className="mt-4" title="The session didn't start">
                {errorMessage(startError)}
              </Alert>
            ) : null}
          </section>

          <section className="rounded-2xl border border-slate-200 bg-white p-6 shadow-xs">
            <h2 className="text-sm font-semibold tracking-wide text-slate-500 uppercase">Greeting preview</h2>
            <div className="mt-4 flex items-start gap-3">
              <Avatar name={clone.name} seed={clone.id} src={clone.avatarUrl} className="size-8 text-xs" />
              <p className="rounded-2xl rounded-tl-sm bg-slate-100 px-4 py-3 text-sm leading-relaxed whitespace-pre-wrap text-slate-800">
                {clone.persona.greeting || "Hello! Ask me anything."}
              </p>
            </div>
          </section>
          <CloneProgressSection cloneId={clone.id} cloneName={clone.name} />
        </aside>
        <section className="min-w-0 rounded-2xl border border-slate-200 bg-white p-6 shadow-xs sm:p-8 lg:col-start-1 lg:row-start-2">
          <h2 className="text-lg font-semibold text-slate-900">About this clone</h2>
          {clone.description ? (
            <p className="mt-3 text-[0.95rem] leading-relaxed whitespace-pre-wrap text-slate-700">{clone.description}</p>
          ) : (
            <p className="mt-3 text-sm text-slate-500">No description yet.</p>
          )}
          {clone.tags.length ? (
            <>
              <h3 className="mt-6 text-sm font-semibold text-slate-900">Tags</h3>
              <ul className="mt-2 flex flex-wrap gap-2">
                {clone.tags.map((tag) => (
                  <li key={tag}>
                    <Link to={`/?q=${encodeURIComponent(tag)}`}>
                      <Badge className="hover:bg-slate-200">#{tag}</Badge>
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {clone.persona.topicsToAvoid.length ? (
            <>
              <h3 className="mt-6 text-sm font-semibold text-slate-900">Won't discuss</h3>
              <p className="mt-1 text-sm text-slate-600">{clone.persona.topicsToAvoid.join(", ")}</p>
            </>
          ) : null}
        </section>
      </div>
    </div>
  );
}
