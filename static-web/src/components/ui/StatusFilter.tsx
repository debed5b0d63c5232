import { cn } from "../../lib/cn";

export interface StatusOption<T extends string> {
  value: T;
  label: string;
}

/** A row of toggle buttons choosing the one status a queue shows (it wraps on a narrow screen). */
export function StatusFilter<T extends string>({ value, options, onChange }: { value: T; options: readonly StatusOption<T>[]; onChange: (value: T) => void }) {
  return (
    <div role="group" aria-label="Status" className="mb-6 inline-flex max-w-full flex-wrap rounded-xl border border-slate-200 bg-white p-1">
      {options.map((s) => (
        <button
          key={s.value}
          type="button"
          aria-pressed={value === s.value}
          onClick={() => onChange(s.value)}
          className={cn("rounded-lg px-3 py-1.5 text-sm font-medium", value === s.value ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100")}
        >
          {s.label}
        </button>
      ))}
    </div>
  );
}

/** The label of `value` among `options` ("Open"), or the value itself. */
export function statusLabel<T extends string>(options: readonly StatusOption<T>[], value: T): string {
  return options.find((s) => s.value === value)?.label ?? value;
}
