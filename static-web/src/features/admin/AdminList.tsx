import type { ReactNode } from "react";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { Card, Loading } from "../../components/ui/States";
import type { PagedList } from "../../lib/usePagedList";

/** A "Load more" list of the admin console: loading, failure, empty, the items, and the next page. */
export function AdminList<T extends { id: string }>({
  list,
  label,
  empty,
  children,
}: {
  list: PagedList<T>;
  label: string;
  empty: string;
  children: (item: T) => ReactNode;
}) {
  if (list.loading) return <Loading />;
  if (list.error && list.items.length === 0)
    return (
      <Alert tone="error" title={`We couldn't load ${label.toLowerCase()}`}>
        <p>{errorMessage(list.error)}</p>
        <Button variant="outline" size="sm" className="mt-3" onClick={list.reload}>
          Try again
        </Button>
      </Alert>
    );
  if (list.items.length === 0) return <Card className="p-5 text-sm text-slate-600">{empty}</Card>;
  return (
    <>
      <Card className="overflow-hidden">
        <ul aria-label={label} className="divide-y divide-slate-100">
          {list.items.map((item) => (
            <li key={item.id}>{children(item)}</li>
          ))}
        </ul>
      </Card>
      {list.error ? (
        <Alert tone="error" className="mt-4" title="Couldn't load more">
          {errorMessage(list.error)}
        </Alert>
      ) : null}
      {list.token ? (
        <div className="mt-4 flex justify-center">
          <Button variant="outline" loading={list.loadingMore} onClick={() => void list.loadMore()}>
            Load more
          </Button>
        </div>
      ) : null}
    </>
  );
}

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
