import type { ReactNode } from "react";
import { Button } from "../../components/ui/Button";

/** The search box over an admin list: the text is applied on submit, not on every key. */
export function SearchForm({ label, placeholder, initial, onSearch, children }: {
  label: string;
  placeholder: string;
  initial: string;
  onSearch: (text: string) => void;
  children?: ReactNode;
}) {
  return (
    <form
      role="search"
      className="mb-6 flex flex-col gap-2 sm:flex-row sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const value = new FormData(e.currentTarget).get("q");
        onSearch(typeof value === "string" ? value.trim() : "");
      }}
    >
      <label className="flex-1 space-y-1.5">
        <span className="block text-sm font-medium text-slate-800">{label}</span>
        <input
          name="q"
          type="search"
          defaultValue={initial}
          placeholder={placeholder}
          className="block h-10 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-brand-500 focus:ring-3 focus:ring-brand-500/20 focus:outline-none"
        />
      </label>
      {children}
      <Button type="submit">Search</Button>
    </form>
  );
}
