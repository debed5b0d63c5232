import { MessageCircle } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import type { Clone } from "../../api/contract";
import { errorMessage } from "../../api/http";
import { Button, type ButtonSize, type ButtonVariant } from "../../components/ui/Button";
import { useToast } from "../../components/ui/Toast";
import { useStartSession } from "../chat/queries";

/**
 * "Try it": the owner starts a session with their own clone, draft or published, and lands in the chat. The API makes it a
 * preview (free, not counted in the clone's statistics, not rateable) and answers it the way it answers anyone.
 */
export function TryItButton({
  clone,
  variant = "outline",
  size = "sm",
}: {
  clone: Pick<Clone, "id" | "name">;
  variant?: ButtonVariant;
  size?: ButtonSize;
}) {
  const start = useStartSession();
  const navigate = useNavigate();
  const toast = useToast();
  const [starting, setStarting] = useState(false);

  const tryIt = async () => {
    setStarting(true);
    try {
      const session = await start.mutateAsync(clone.id);
      navigate(`/sessions/${encodeURIComponent(session.id)}`);
    } catch (e) {
      toast({ title: "The preview didn't start", description: errorMessage(e), tone: "error" });
      setStarting(false);
    }
  };

  return (
    <Button
      variant={variant}
      size={size}
      loading={starting}
      aria-label={`Try it: ${clone.name}`}
      title="Chat with your clone as a user would: free, and not counted in its statistics"
      data-testid="try-it"
      onClick={() => void tryIt()}
    >
      {starting ? null : <MessageCircle aria-hidden className="size-4" />}
      Try it
    </Button>
  );
}
