import * as Select from "@radix-ui/react-select";
import { Check, ChevronDown } from "lucide-react";
import { cn } from "../../lib/cn";
import { controlClasses } from "./Input";
import type { ControlProps } from "./Field";

export interface Option {
  value: string;
  label: string;
}

export interface SelectControlProps extends Partial<ControlProps> {
  value: string;
  onValueChange: (value: string) => void;
  options: Option[];
  placeholder?: string;
  disabled?: boolean;
  className?: string;
  /** When the control has no visible <label> of its own. */
  "aria-label"?: string;
}

/** A Radix select styled like the other controls. Option values must not be "". */
export function SelectControl({
  value,
  onValueChange,
  options,
  placeholder,
  disabled,
  className,
  id,
  ...aria
}: SelectControlProps) {
  return (
    <Select.Root value={value} onValueChange={onValueChange} disabled={disabled ?? false}>
      <Select.Trigger
        id={id}
        aria-label={aria["aria-label"]}
        aria-invalid={aria["aria-invalid"]}
        aria-describedby={aria["aria-describedby"]}
        className={cn(
          controlClasses,
          "flex h-10 items-center justify-between gap-2 text-left data-[placeholder]:text-slate-500",
          className,
        )}
      >
        <span className="truncate">
          <Select.Value placeholder={placeholder ?? "Choose…"} />
        </span>
        <Select.Icon>
          <ChevronDown aria-hidden className="size-4 text-slate-500" />
        </Select.Icon>
      </Select.Trigger>
      <Select.Portal>
        <Select.Content
          position="popper"
          sideOffset={4}
          className="z-50 max-h-[min(var(--radix-select-content-available-height),20rem)] min-w-[var(--radix-select-trigger-width)] overflow-hidden rounded-xl border border-slate-200 bg-white shadow-lg shadow-slate-900/10 animate-fade-in"
        >
          <Select.Viewport className="p-1">
            {options.map((option) => (
              <Select.Item
                key={option.value}
                value={option.value}
                className="relative flex h-9 cursor-pointer items-center rounded-lg pr-3 pl-8 text-sm text-slate-800 outline-none select-none data-[highlighted]:bg-brand-50 data-[highlighted]:text-brand-800 data-[state=checked]:font-medium"
              >
                <Select.ItemIndicator className="absolute left-2.5 inline-flex items-center">
                  <Check aria-hidden className="size-4 text-brand-600" />
                </Select.ItemIndicator>
                <Select.ItemText>{option.label}</Select.ItemText>
              </Select.Item>
            ))}
          </Select.Viewport>
        </Select.Content>
      </Select.Portal>
    </Select.Root>
  );
}
