import type { ReactNode } from "react";
import { errorMessage } from "../../api/http";
import type { PagedList } from "../../lib/usePagedList";
import { Alert } from "./Alert";
import { Button } from "./Button";
import { Card, Loading } from "./States";

export interface PagedFrameProps {
  list: PagedList<unknown>;
  /** What is listed, for the failure's title ("We couldn't load the audit log"). */
  what: string;
  /** Shown when there is nothing: its words, and an icon before them. */
  empty: ReactNode;
  emptyIcon?: ReactNode;
  /** Nothing to show, though the list has items (they are grouped or filtered into nothing); default: no items. */
  isEmpty?: boolean;
  /** The items, drawn by the page. */
  children: ReactNode;
}

/** A list read a page at a time: loading, a failure with "Try again", the empty state, the items, and "Load more". */
export function PagedFrame({ list, what, empty, emptyIcon, isEmpty = list.items.length === 0, children }: PagedFrameProps) {
  if (list.loading) return <Loading />;
  if (list.error && list.items.length === 0)
    return (
      <Alert tone="error" title={`We couldn't load ${what}`}>
        <p>{errorMessage(list.error)}</p>
        <Button variant="outline" size="sm" className="mt-3" onClick={list.reload}>
          Try again
        </Button>
      </Alert>
    );
  return (
    <>
      {isEmpty ? (
        <Card className="flex items-center gap-3 p-5 text-sm text-slate-600">
          {emptyIcon}
          {empty}
        </Card>
      ) : (
        children
      )}
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

/** A "Load more" list in a card, one row an item, named `label` for screen readers. */
export function PagedListCard<T extends { id: string }>({
  list,
  label,
  what = label.toLowerCase(),
  empty,
  emptyIcon,
  children,
}: {
  list: PagedList<T>;
  label: string;
  what?: string;
  empty: ReactNode;
  emptyIcon?: ReactNode;
  children: (item: T) => ReactNode;
}) {
  return (
    <PagedFrame list={list} what={what} empty={empty} emptyIcon={emptyIcon}>
      <Card className="overflow-hidden">
        <ul aria-label={label} className="divide-y divide-slate-100">
          {list.items.map((item) => (
            <li key={item.id}>{children(item)}</li>
          ))}
        </ul>
      </Card>
    </PagedFrame>
  );
}
