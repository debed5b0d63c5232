import { useEffect } from "react";

export function useTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · CloneAI` : "CloneAI — AI clones of real experts";
  }, [title]);
}
