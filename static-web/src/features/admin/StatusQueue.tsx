import { useState, type ReactNode } from "react";
import { PageHeader } from "../../components/ui/States";
import { StatusFilter, type StatusOption } from "../../components/ui/StatusFilter";
import type { PagedList } from "../../lib/usePagedList";
import { useTitle } from "../../lib/useTitle";
import { AdminOnly } from "./AdminLayout";

export interface StatusQueueProps<S extends string, T> {
  title: string;
  description: string;
  /** What a non-admin is told instead ("Only admins decide who is a verified expert."). */
  adminsOnly: string;
  statuses: readonly StatusOption<S>[];
  initial: S;
  /** Reads the items of a status a page at a time: a hook, the same on every render. */
  useList: (status: S) => PagedList<T>;
  children: (list: PagedList<T>, status: S) => ReactNode;
}

/** An admin queue (reports, verification requests, payouts), for admins only: its heading, a status filter, and the items. */
export function StatusQueue<S extends string, T>(props: StatusQueueProps<S, T>) {
  useTitle(props.title);
  return (
    <AdminOnly what={props.adminsOnly}>
      <Queue {...props} />
    </AdminOnly>
  );
}

function Queue<S extends string, T>({ title, description, statuses, initial, useList, children }: StatusQueueProps<S, T>) {
  const [status, setStatus] = useState<S>(initial);
  const list = useList(status);
  return (
    <div>
      <PageHeader title={title} description={description} />
      <StatusFilter value={status} options={statuses} onChange={setStatus} />
      {children(list, status)}
    </div>
  );
}
