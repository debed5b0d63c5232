import { ApiError, errorMessage, fieldMessages } from "../../api/http";
import { Alert } from "./Alert";

/**
 * The summary of a failed submit: the problem's title and detail, plus any field errors that are not
 * shown next to a field of this form (listed in `shownFields`).
 */
export function FormProblem({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) return <Alert tone="error" title="Something went wrong">{errorMessage(error)}</Alert>;
  const shown = new Set(shownFields.map((f) => f.toLowerCase()));
  const others = Object.keys(error.errors)
    .filter((key) => !shown.has(key.toLowerCase()))
    .flatMap((key) => fieldMessages(error.errors, key));
  const hasFieldErrors = Object.keys(error.errors).length > 0;
  return (
    <Alert tone="error" title={error.title}>
      {error.detail && error.detail !== error.title ? <p>{error.detail}</p> : null}
      {others.length > 0 ? (
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {others.map((message, i) => (
            <li key={i}>{message}</li>
          ))}
        </ul>
      ) : hasFieldErrors ? (
        <p>Check the highlighted fields.</p>
      ) : null}
    </Alert>
  );
}

/** The messages for one field of a failed submit (nothing when the error is not an ApiError). */
export function errorsFor(error: unknown, key: string): string[] {
  return error instanceof ApiError ? error.field(key) : [];
}
