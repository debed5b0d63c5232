import { useEffect, useState } from "react";
import { api } from "../../api/client";
import type { Category } from "../../api/types";

let cache: Promise<Category[]> | null = null;

function load(): Promise<Category[]> {
  cache ??= api.categories().catch((error: unknown) => {
    cache = null;
    throw error;
  });
  return cache;
}

/** The category list, fetched once per page load. */
export function useCategories(): { categories: Category[]; error: boolean; categoryName: (id: string) => string } {
  const [categories, setCategories] = useState<Category[]>([]);
  const [error, setError] = useState(false);
  useEffect(() => {
    let cancelled = false;
    load()
      .then((c) => !cancelled && setCategories(c))
      .catch(() => !cancelled && setError(true));
    return () => {
      cancelled = true;
    };
  }, []);
  const categoryName = (id: string) => categories.find((c) => c.id === id)?.name ?? id;
  return { categories, error, categoryName };
}
