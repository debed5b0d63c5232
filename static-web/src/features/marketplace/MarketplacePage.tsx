import { Search, SearchX, Sparkles, X } from "lucide-react";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError, errorMessage } from "../../api/http";
import { SORTS, type CloneQuery, type Sort } from "../../api/contract";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClasses } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { Input } from "../../components/ui/Input";
import { SelectControl } from "../../components/ui/SelectField";
import { EmptyState } from "../../components/ui/States";
import { toMinor } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import { useCategories, useCloneSearch } from "../clones/queries";
import { ForYouRow } from "../recommendations/ForYouRow";
import { CloneCard, CloneCardSkeleton } from "./CloneCard";

const PAGE_SIZE = 12;

const SORT_LABELS: Record<Sort, string> = {
  popular: "Most popular",
  rating: "Top rated",
  newest: "Newest",
  price: "Lowest price",
};

const RATING_OPTIONS = [
  { value: "any", label: "Any rating" },
  { value: "3", label: "3 stars & up" },
  { value: "4", label: "4 stars & up" },
  { value: "4.5", label: "4.5 stars & up" },
];

/** Filters as they stand in the address bar. Prices there are in major units (dollars), as typed. */
interface Filters {
  q: string;
  category: string;
  minPrice: string;
  maxPrice: string;
  minRating: string;
  sort: Sort;
}

function readFilters(params: URLSearchParams): Filters {
  const sort = params.get("sort") as Sort | null;
  return {
    q: params.get("q") ?? "",
    category: params.get("category") ?? "",
    minPrice: params.get("minPrice") ?? "",
    maxPrice: params.get("maxPrice") ?? "",
    minRating: params.get("minRating") ?? "",
    sort: sort && SORTS.includes(sort) ? sort : "popular",
  };
}

function toQuery(filters: Filters): { query: CloneQuery; problems: Record<string, string[]> } {
  const problems: Record<string, string[]> = {};
  const query: CloneQuery = { sort: filters.sort, pageSize: PAGE_SIZE };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.category) query.category = filters.category;
  const min = toMinor(filters.minPrice, "USD");
  const max = toMinor(filters.maxPrice, "USD");
  if (Number.isNaN(min)) problems.minPrice = ["Enter an amount such as 0.50."];
  else if (min !== null) query.minPrice = min;
  if (Number.isNaN(max)) problems.maxPrice = ["Enter an amount such as 2.00."];
  else if (max !== null) query.maxPrice = max;
  if (min !== null && max !== null && !Number.isNaN(min) && !Number.isNaN(max) && min > max) {
    problems.maxPrice = ["Must not be below the minimum."];
  }
  const rating = Number(filters.minRating);
  if (filters.minRating && Number.isFinite(rating)) query.minRating = rating;
  return { query, problems };
}

export function MarketplacePage() {
  useTitle(null);
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const { categories, categoryName } = useCategories();
  const { me, status } = useAuth();

  // Text boxes keep their own state while typing; the address bar follows after a pause.
  const [q, setQ] = useState(filters.q);
  const [minPrice, setMinPrice] = useState(filters.minPrice);
  const [maxPrice, setMaxPrice] = useState(filters.maxPrice);

  const update = useCallback(
    (patch: Partial<Filters>) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(patch)) {
            if (value === "" || value === undefined || (key === "sort" && value === "popular")) next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  // Keep boxes in step when the address changes from outside (back button, "Clear filters").
  const lastSynced = useRef({ q: filters.q, minPrice: filters.minPrice, maxPrice: filters.maxPrice });
  useEffect(() => {
    const synced = lastSynced.current;
    if (filters.q !== synced.q) setQ(filters.q);
    if (filters.minPrice !== synced.minPrice) setMinPrice(filters.minPrice);
    if (filters.maxPrice !== synced.maxPrice) setMaxPrice(filters.maxPrice);
    lastSynced.current = { q: filters.q, minPrice: filters.minPrice, maxPrice: filters.maxPrice };
  }, [filters.q, filters.minPrice, filters.maxPrice]);

  useEffect(() => {
    if (q === filters.q && minPrice === filters.minPrice && maxPrice === filters.maxPrice) return;
    const timer = setTimeout(() => {
      lastSynced.current = { q, minPrice, maxPrice };
      update({ q, minPrice, maxPrice });
    }, 350);
    return () => clearTimeout(timer);
  }, [q, minPrice, maxPrice, filters.q, filters.minPrice, filters.maxPrice, update]);

  const onSearchSubmit = (event: FormEvent) => {
    event.preventDefault();
    lastSynced.current = { q, minPrice, maxPrice };
    update({ q, minPrice, maxPrice });
  };

  const { query, problems } = toQuery(filters);
  const hasProblems = Object.keys(problems).length > 0;

  const { items, token, loading, loadingMore, error, loadMore, reload } = useCloneSearch(query, !hasProblems);

  const filtered = !!(filters.q || filters.category || filters.minPrice || filters.maxPrice || filters.minRating);
  const clearFilters = () => {
    setParams(filters.sort === "popular" ? {} : { sort: filters.sort }, { replace: true });
  };
  const fieldProblem = (key: string) =>
    problems[key] ?? (error instanceof ApiError ? error.field(key) : undefined);

  const isCreator = !!me && (me.isCreator || me.isAdmin);

  return (
    <div className="space-y-8">
      <section className="relative overflow-hidden rounded-3xl bg-gradient-to-br from-brand-700 via-brand-600 to-violet-600 px-5 py-10 text-white shadow-xl shadow-brand-900/10 sm:px-10 sm:py-14">
        <div aria-hidden className="pointer-events-none absolute -top-24 -right-24 size-72 rounded-full bg-white/10 blur-2xl" />
        <div aria-hidden className="pointer-events-none absolute -bottom-32 left-1/3 size-80 rounded-full bg-fuchsia-400/20 blur-3xl" />
        <div className="relative max-w-2xl">
          <p className="mb-3 inline-flex items-center gap-1.5 rounded-full bg-white/15 px-3 py-1 text-xs font-medium ring-1 ring-white/25 ring-inset">
            <Sparkles aria-hidden className="size-3.5" />
            AI clones of real experts
          </p>
          <h1 className="text-3xl font-bold tracking-tight text-balance sm:text-5xl">
            Get answers from the experts you trust — any time.
          </h1>
          <p className="mt-4 text-base text-brand-100 sm:text-lg">
            Each clone is trained and priced by the expert behind it. Find one that fits your question.
          </p>
        </div>
        <form role="search" onSubmit={onSearchSubmit} className="relative mt-8 flex max-w-2xl flex-col gap-2 sm:flex-row">
          <label htmlFor="search-clones" className="sr-only">
            Search clones
          </label>
          <div className="relative flex-1">
            <Search aria-hidden className="pointer-events-none absolute top-1/2 left-4 size-5 -translate-y-1/2 text-slate-400" />
            <input
              id="search-clones"
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              placeholder="Try “negotiation”, “Python”, “sleep coach”…"
              maxLength={200}
              className="h-12 w-full rounded-xl border-0 bg-white pr-4 pl-12 text-base text-slate-900 shadow-lg placeholder:text-slate-400 focus:ring-4 focus:ring-white/40 focus:outline-none"
            />
          </div>
          <Button type="submit" size="lg" variant="secondary" className="h-12">
            Search
          </Button>
        </form>
        {categories.length ? (
          <div className="relative mt-5 flex max-w-3xl flex-wrap items-center gap-2 text-sm">
            <span className="text-brand-100">Popular:</span>
            {categories.slice(0, 4).map((c) => (
              <button
                key={c.id}
                type="button"
                aria-pressed={filters.category === c.id}
                onClick={() => update({ category: filters.category === c.id ? "" : c.id })}
                className="rounded-full bg-white/10 px-3 py-1 font-medium text-white ring-1 ring-white/20 transition ring-inset hover:bg-white/20 aria-pressed:bg-white aria-pressed:text-brand-700"
              >
                {c.name}
              </button>
            ))}
          </div>
        ) : null}
      </section>

      {filtered ? null : <ForYouRow signedIn={status === "signedIn"} categoryName={categoryName} />}

      <section aria-label="Filters" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-xs sm:p-5">
        <div className="grid grid-cols-2 gap-4 lg:grid-cols-[2fr_1fr_1fr_1.4fr_1.4fr_auto] lg:items-start">
          <Field label="Category" className="col-span-2 lg:col-span-1">
            {(p) => (
              <SelectControl
                {...p}
                value={filters.category || "all"}
                onValueChange={(v) => update({ category: v === "all" ? "" : v })}
                options={[{ value: "all", label: "All categories" }, ...categories.map((c) => ({ value: c.id, label: c.name }))]}
              />
            )}
          </Field>
          <Field label="Min price ($)" error={fieldProblem("minPrice")}>
            {(p) => (
              <Input {...p} inputMode="decimal" placeholder="0" value={minPrice} onChange={(e) => setMinPrice(e.target.value)} />
            )}
          </Field>
          <Field label="Max price ($)" error={fieldProblem("maxPrice")}>
            {(p) => (
              <Input {...p} inputMode="decimal" placeholder="Any" value={maxPrice} onChange={(e) => setMaxPrice(e.target.value)} />
            )}
          </Field>
          <Field label="Minimum rating">
            {(p) => (
              <SelectControl
                {...p}
                value={filters.minRating || "any"}
                onValueChange={(v) => update({ minRating: v === "any" ? "" : v })}
                options={RATING_OPTIONS}
              />
            )}
          </Field>
          <Field label="Sort by">
            {(p) => (
              <SelectControl
                {...p}
                value={filters.sort}
                onValueChange={(v) => update({ sort: v as Sort })}
                options={SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] }))}
              />
            )}
          </Field>
          <div className="col-span-2 flex items-end lg:col-span-1 lg:h-full lg:pt-[1.625rem]">
            <Button variant="ghost" onClick={clearFilters} disabled={!filtered} className="w-full lg:w-auto">
              <X aria-hidden className="size-4" />
              Clear
            </Button>
          </div>
        </div>
      </section>

      <section aria-labelledby="results-heading" aria-busy={loading}>
        <div className="mb-4 flex items-baseline justify-between gap-4">
          <h2 id="results-heading" className="text-lg font-semibold text-slate-900">
            {filters.q ? <>Results for “{filters.q}”</> : filters.category ? categoryName(filters.category) : "All clones"}
          </h2>
          {!loading && !error && items.length > 0 ? (
            <p className="text-sm text-slate-500">
              {items.length}
              {token ? "+" : ""} clone{items.length === 1 && !token ? "" : "s"}
            </p>
          ) : null}
        </div>

        {hasProblems ? (
          <Alert tone="error" title="Check the price filters">
            Prices are in dollars, like 0.50 or 12.
          </Alert>
        ) : loading ? (
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
            <p className="sr-only" role="status">
              Loading clones…
            </p>
            {Array.from({ length: 6 }, (_, i) => (
              <CloneCardSkeleton key={i} />
            ))}
          </div>
        ) : error && items.length === 0 ? (
          <Alert tone="error" title="We couldn't load the marketplace">
            <p>{errorMessage(error)}</p>
            <Button variant="outline" size="sm" className="mt-3" onClick={reload}>
              Try again
            </Button>
          </Alert>
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState icon={<SearchX className="size-6" />} title="No clones match your search" action={<Button variant="outline" onClick={clearFilters}>Clear filters</Button>}>
              Try other words, another category or a wider price range.
            </EmptyState>
          ) : (
            <EmptyState
              icon={<Sparkles className="size-6" />}
              title="No clones published yet"
              action={
                <Link to={isCreator ? "/studio/new" : "/become-creator"} className={buttonClasses("primary")}>
                  {isCreator ? "Create the first clone" : "Become the first creator"}
                </Link>
              }
            >
              The marketplace is brand new. Experts can publish their AI clone in a few minutes.
            </EmptyState>
          )
        ) : (
          <>
            <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {items.map((clone) => (
                <li key={clone.id}>
                  <CloneCard clone={clone} categoryName={categoryName(clone.category)} />
                </li>
              ))}
            </ul>
            {error ? (
              <Alert tone="error" className="mt-6" title="Couldn't load more clones">
                {errorMessage(error)}
              </Alert>
            ) : null}
            {token ? (
              <div className="mt-8 flex justify-center">
                <Button variant="outline" size="lg" loading={loadingMore} onClick={() => void loadMore()}>
                  Load more
                </Button>
              </div>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}
