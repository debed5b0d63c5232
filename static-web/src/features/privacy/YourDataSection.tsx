import * as DialogPrimitive from "@radix-ui/react-dialog";
import { Download, Trash2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import type { Me } from "../../api/contract";
import { ApiError } from "../../api/http";
import { Button } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { errorsFor } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { Card } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatDate, formatDateTime } from "../../lib/format";
import { useAuth } from "../auth/AuthProvider";
import { saveBlob } from "../chat/download";
import { privacyApi } from "./api";
import { exportView } from "./exportStatus";
import { useExports, useRequestExport } from "./queries";

/** The profile page's "Your data": the terms accepted, export (status, download), and deleting the account. */
export function YourDataSection({ me }: { me: Me }) {
  const toast = useToast();
  const exports = useExports();
  const requestExport = useRequestExport();
  const [downloading, setDownloading] = useState(false);
  const [open, setOpen] = useState(false);
  const latest = exports.data?.items[0];
  const view = exportView(latest, formatDateTime);

  const ask = async () => {
    try {
      await requestExport.mutateAsync();
      toast({ title: "Export started", description: "We will email you a link when it is ready." });
    } catch (e) {
      toast({ title: "Could not start the export", ...(e instanceof Error ? { description: e.message } : {}), tone: "error" });
    }
  };

  const download = async () => {
    if (!latest) return;
    setDownloading(true);
    try {
      const file = await privacyApi.download(latest.id);
      saveBlob(file.blob, file.fileName);
    } catch (e) {
      toast({ title: "Could not download the export", ...(e instanceof Error ? { description: e.message } : {}), tone: "error" });
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Card className="p-6 sm:p-8">
      <h2 id="your-data" className="mb-1 text-base font-semibold text-slate-900">
        Your data
      </h2>
      <p className="text-sm text-slate-600">
        {me.termsVersion && me.termsAcceptedAt
          ? `You accepted the terms of ${me.termsVersion} on ${formatDate(me.termsAcceptedAt)}.`
          : "You signed up before the current terms were recorded."}{" "}
        Read the <a href="/terms" className="font-medium text-brand-700 underline">terms</a> and the{" "}
        <a href="/privacy" className="font-medium text-brand-700 underline">privacy notice</a>.
      </p>

      <div className="mt-5 space-y-3 border-t border-slate-100 pt-5">
        <h3 className="text-sm font-semibold text-slate-900">Export my data</h3>
        <p className="text-sm text-slate-600" aria-live="polite" data-testid="export-status">
          {exports.isLoading ? "Loading…" : view.text}
        </p>
        <div className="flex flex-wrap gap-2">
          <Button variant="outline" onClick={ask} loading={requestExport.isPending} disabled={view.building}>
            Export my data
          </Button>
          {view.downloadable ? (
            <Button variant="secondary" onClick={download} loading={downloading}>
              <Download className="size-4" aria-hidden /> Download the export
            </Button>
          ) : null}
        </div>
      </div>

      <div className="mt-5 space-y-3 border-t border-slate-100 pt-5">
        <h3 className="text-sm font-semibold text-slate-900">Delete my account</h3>
        <p className="text-sm text-slate-600">Deleting your account cannot be undone. Export your data first if you want a copy.</p>
        <Button variant="danger" onClick={() => setOpen(true)}>
          <Trash2 className="size-4" aria-hidden /> Delete my account
        </Button>
      </div>
      <DeleteAccountDialog open={open} onOpenChange={setOpen} />
    </Card>
  );
}

function DeleteAccountDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { config, logout, signInWithMicrosoft } = useAuth();
  const toast = useToast();
  const navigate = useNavigate();
  const local = config.authMode !== "entra";
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const signInAgain = error instanceof ApiError && error.status === 403;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await privacyApi.deleteAccount(local ? password : null);
      onOpenChange(false);
      await logout();
      navigate("/", { replace: true });
      toast({ title: "Your account was deleted", description: "Your data is gone; payment records are kept without your name." });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const passwordErrors = errorsFor(error, "password");
  const general = error && passwordErrors.length === 0 ? (error instanceof Error ? error.message : "Something went wrong.") : null;

  return (
    <DialogPrimitive.Root open={open} onOpenChange={(next) => !busy && onOpenChange(next)}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-slate-900/40 backdrop-blur-[2px] animate-fade-in" />
        <DialogPrimitive.Content className="fixed top-1/2 left-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-2xl bg-white p-6 shadow-2xl animate-scale-in focus:outline-none">
          <DialogPrimitive.Title className="text-lg font-semibold text-slate-900">Delete your account?</DialogPrimitive.Title>
          <DialogPrimitive.Description asChild>
            <div className="mt-2 space-y-2 text-sm leading-relaxed text-slate-600">
              <p>
                <strong className="text-slate-800">Deleted for good:</strong> your profile and photo, your sign-ins, your sessions and
                messages, their summaries, your memories, preferences and progress, your clones with their documents, files and search
                index, and your data exports.
              </p>
              <p>
                <strong className="text-slate-800">Kept without your name:</strong> the payment records the law asks us to keep (wallet
                and earnings transactions, top-ups, payouts, usage) stay under a random pseudonym, with no email, name or text of yours.
              </p>
              <p>
                Other people&apos;s conversations with your clones stay theirs; your clones show there as &ldquo;Deleted clone&rdquo;.
              </p>
            </div>
          </DialogPrimitive.Description>
          <form onSubmit={submit} className="mt-4 space-y-4">
            {local ? (
              <Field label="Your password" hint="Type your password to confirm." error={passwordErrors}>
                {(props) => (
                  <Input {...props} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
                )}
              </Field>
            ) : (
              <p className="text-sm text-slate-600">For your safety this needs a sign-in from the last few minutes.</p>
            )}
            {general ? (
              <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
                {general}
              </p>
            ) : null}
            <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
              <DialogPrimitive.Close asChild>
                <Button type="button" variant="outline" disabled={busy}>
                  Cancel
                </Button>
              </DialogPrimitive.Close>
              {signInAgain && !local ? (
                <Button type="button" variant="secondary" onClick={() => void signInWithMicrosoft()}>
                  Sign in again
                </Button>
              ) : null}
              <Button type="submit" variant="danger" loading={busy}>
                Delete my account
              </Button>
            </div>
          </form>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
