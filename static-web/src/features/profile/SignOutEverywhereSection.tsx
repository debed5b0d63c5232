import { useState } from "react";
import { useNavigate } from "react-router";
import { Button } from "../../components/ui/Button";
import { FormProblem } from "../../components/ui/FormProblem";
import { Card } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { useAuth } from "../auth/AuthProvider";

/** The profile's "Sign out everywhere": every sign-in of the account ends, on every device, and this tab signs out. */
export function SignOutEverywhereSection() {
  const { signOutEverywhere } = useAuth();
  const navigate = useNavigate();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await signOutEverywhere();
      navigate("/", { replace: true });
      toast({ title: "Signed out everywhere", description: "Every device has to sign in again." });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Card className="p-6 sm:p-8">
      <h2 className="mb-2 text-base font-semibold text-slate-900">Sign out everywhere</h2>
      <p className="mb-4 text-sm text-slate-600">
        Ends every sign-in of your account, on every device and browser, this one included. Use it after signing in on a device
        you no longer use, or if you think someone else has access.
      </p>
      <div className="mb-4 empty:hidden">
        <FormProblem error={error} />
      </div>
      <Button variant="outline" onClick={() => void run()} loading={busy}>
        Sign out everywhere
      </Button>
    </Card>
  );
}
