import { BadgeDollarSign, CheckCircle2, Globe2, SlidersHorizontal, Sparkles } from "lucide-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClasses } from "../../components/ui/Button";
import { FormProblem } from "../../components/ui/FormProblem";
import { useToast } from "../../components/ui/Toast";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import { useBecomeCreator } from "./queries";

const BENEFITS = [
  {
    icon: Sparkles,
    title: "Your expertise, always on",
    body: "Your clone answers in your voice with the instructions you write — even while you sleep.",
  },
  {
    icon: BadgeDollarSign,
    title: "You set the price",
    body: "Charge per minute, per message, or both, and offer a few free messages so people can try.",
  },
  {
    icon: SlidersHorizontal,
    title: "Full control",
    body: "Choose the tone, the answer length and topics to stay away from. Unpublish any time.",
  },
  {
    icon: Globe2,
    title: "A marketplace audience",
    body: "Published clones are listed in the CloneAI marketplace, searchable by topic and category.",
  },
];

export function BecomeCreatorPage() {
  useTitle("Become a creator");
  const { me, status } = useAuth();
  const becomeCreator = useBecomeCreator();
  const navigate = useNavigate();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const isCreator = !!me && (me.isCreator || me.isAdmin || me.roles.includes("creator"));

  const become = async () => {
    setBusy(true);
    setError(null);
    try {
      await becomeCreator.mutateAsync();
      toast({ title: "You're a creator now", description: "Create your first clone in the Studio." });
      navigate("/studio");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="mx-auto max-w-4xl">
      <div className="text-center">
        <p className="inline-flex items-center gap-1.5 rounded-full bg-brand-50 px-3 py-1 text-xs font-semibold text-brand-700 ring-1 ring-brand-200 ring-inset">
          For experts
        </p>
        <h1 className="mt-4 text-3xl font-bold tracking-tight text-balance text-slate-900 sm:text-4xl">
          Turn what you know into an AI clone people can talk to
        </h1>
        <p className="mx-auto mt-4 max-w-2xl text-base text-slate-600 sm:text-lg">
          Creators build clones in the Studio, price them, and publish them to the marketplace. It's free to start.
        </p>
      </div>

      <ul className="mt-10 grid gap-4 sm:grid-cols-2">
        {BENEFITS.map(({ icon: Icon, title, body }) => (
          <li key={title} className="rounded-2xl border border-slate-200 bg-white p-6 shadow-xs">
            <div className="flex size-10 items-center justify-center rounded-xl bg-brand-50 text-brand-600">
              <Icon aria-hidden className="size-5" />
            </div>
            <h2 className="mt-4 font-semibold text-slate-900">{title}</h2>
            <p className="mt-1 text-sm leading-relaxed text-slate-600">{body}</p>
          </li>
        ))}
      </ul>

      <div className="mt-10 rounded-2xl border border-slate-200 bg-white p-6 text-center shadow-sm sm:p-8">
        {status === "loading" ? null : isCreator ? (
          <div className="space-y-4">
            <p className="flex items-center justify-center gap-2 font-semibold text-emerald-700">
              <CheckCircle2 aria-hidden className="size-5" />
              You're already a creator.
            </p>
            <Link to="/studio" className={buttonClasses("primary", "lg")}>
              Open the Studio
            </Link>
          </div>
        ) : me ? (
          <div className="mx-auto max-w-md space-y-4">
            <h2 className="text-lg font-semibold text-slate-900">Ready, {me.displayName}?</h2>
            <p className="text-sm text-slate-600">
              This adds the creator role to your account. You can create drafts right away and publish when ready.
            </p>
            <FormProblem error={error} />
            <Button size="lg" loading={busy} onClick={() => void become()}>
              Become a creator
            </Button>
          </div>
        ) : (
          <div className="mx-auto max-w-md space-y-4">
            <Alert tone="info">You need an account first. It takes a minute.</Alert>
            <div className="flex flex-col justify-center gap-2 sm:flex-row">
              <Link to="/signup" className={buttonClasses("primary", "lg")}>
                Sign up
              </Link>
              <Link to="/login?next=%2Fbecome-creator" className={buttonClasses("outline", "lg")}>
                Log in
              </Link>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
