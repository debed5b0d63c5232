import * as Label from "@radix-ui/react-label";
import { AlertCircle } from "lucide-react";
import { useId, type ReactNode } from "react";
import { cn } from "../../lib/cn";

export interface ControlProps {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

export interface FieldProps {
  label: string;
  /** Shown after the label, e.g. "Optional". */
  labelNote?: string;
  hint?: ReactNode;
  error?: string[] | string | undefined;
  className?: string;
  children: (props: ControlProps) => ReactNode;
}

/** A visible label, the control, a hint and the field's error messages, wired together for screen readers. */
export function Field({ label, labelNote, hint, error, className, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const errors = error === undefined ? [] : Array.isArray(error) ? error : [error];
  const describedBy = [hint ? hintId : null, errors.length ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("space-y-1.5", className)}>
      <div className="flex items-baseline justify-between gap-2">
        <Label.Root htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </Label.Root>
        {labelNote ? (
          <span aria-hidden className="text-xs text-slate-500">
            {labelNote}
          </span>
        ) : null}
      </div>
      {children({ id, "aria-invalid": errors.length ? true : undefined, "aria-describedby": describedBy })}
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors.length ? (
        <div id={errorId} className="space-y-0.5" role="alert">
          {errors.map((message, i) => (
            <p key={i} className="flex items-start gap-1 text-xs font-medium text-red-600">
              <AlertCircle aria-hidden className="mt-px size-3.5 shrink-0" />
              <span>{message}</span>
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
