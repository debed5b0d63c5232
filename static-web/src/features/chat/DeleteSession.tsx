// Deleting an ended session from its page: a confirmation, then DELETE /api/sessions/{id} (its messages, its summary and the
// memories that came from it; the money it moved stays on record), and back to my sessions.
import { Trash2 } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { errorMessage } from "../../api/http";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/Dialog";
import { useDeleteSession } from "./queries";

export function DeleteSession({ sessionId }: { sessionId: string }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = useDeleteSession();
  const navigate = useNavigate();
  const confirm = async () => {
    setError(null);
    try {
      await remove.mutateAsync(sessionId);
      setOpen(false);
      void navigate("/sessions");
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
        <Trash2 aria-hidden className="size-4" />
        Delete
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) setError(null);
        }}
        title="Delete this session?"
        description="Its messages, its summary and the memories that came from it are deleted. Your wallet's record of what it cost stays."
        confirmLabel="Delete session"
        destructive
        busy={remove.isPending}
        error={error}
        onConfirm={() => void confirm()}
      />
    </>
  );
}
