import { AlertCircle, CheckCircle2, Info } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "../../lib/cn";

type Tone = "error" | "success" | "info";

const tones: Record<Tone, { box: string; icon: ReactNode }> = {
  error: {
    box: "border-red-200 bg-red-50 text-red-900",
    icon: <AlertCircle aria-hidden className="mt-0.5 size-5 shrink-0 text-red-500" />,
  },
  success: {
    box: "border-emerald-200 bg-emerald-50 text-emerald-900",
    icon: <CheckCircle2 aria-hidden className="mt-0.5 size-5 shrink-0 text-emerald-500" />,
  },
  info: {
    box: "border-brand-200 bg-brand-50 text-brand-900",
    icon: <Info aria-hidden className="mt-0.5 size-5 shrink-0 text-brand-500" />,
  },
};

export function Alert({
  tone = "info",
  title,
  children,
  className,
}: {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
}) {
  const t = tones[tone];
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cn("flex gap-3 rounded-xl border px-4 py-3 text-sm", t.box, className)}
    >
      {t.icon}
      <div className="min-w-0 space-y-1">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div className="leading-relaxed opacity-90">{children}</div> : null}
      </div>
    </div>
  );
}
