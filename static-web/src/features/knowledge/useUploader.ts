import { useCallback, useEffect, useReducer, useRef } from "react";
import type { KnowledgeDocument } from "../../api/contract";
import { useUploadDocument } from "./queries";
import { newUploads, uploadErrorMessage, uploadsReducer, type UploadItem } from "./uploads";

/** Files sent at the same time; the rest wait their turn. */
const PARALLEL = 3;

interface Job {
  item: UploadItem;
  tags: string[];
}

/** The upload queue: one request per file (so each has its own progress bar), a few at a time. */
export function useUploader(cloneId: string, onUploaded: (doc: KnowledgeDocument) => void) {
  const [items, dispatch] = useReducer(uploadsReducer, []);
  const queue = useRef<Job[]>([]);
  const running = useRef(0);
  const controllers = useRef(new Map<string, AbortController>());
  const onUploadedRef = useRef(onUploaded);
  onUploadedRef.current = onUploaded;
  const { mutateAsync: upload } = useUploadDocument(cloneId);

  const runOne = useCallback(
    async ({ item, tags }: Job) => {
      const key = item.key;
      const controller = new AbortController();
      controllers.current.set(key, controller);
      dispatch({ type: "start", key });
      try {
        const result = await upload({
          file: item.file,
          tags,
          options: {
            signal: controller.signal,
            onProgress: ({ loaded, total }) => dispatch({ type: "progress", key, loaded, total }),
          },
        });
        const doc = result?.items?.[0] ?? null;
        dispatch({ type: "succeeded", key, document: doc });
        if (doc) onUploadedRef.current(doc);
      } catch (error) {
        const cancelled = error instanceof DOMException && error.name === "AbortError";
        dispatch({ type: "failed", key, error: cancelled ? "Cancelled." : uploadErrorMessage(error) });
      } finally {
        controllers.current.delete(key);
      }
    },
    [upload],
  );

  const pump = useCallback(() => {
    while (running.current < PARALLEL && queue.current.length > 0) {
      const job = queue.current.shift()!;
      running.current++;
      void runOne(job).finally(() => {
        running.current--;
        pump();
      });
    }
  }, [runOne]);

  const add = useCallback(
    (files: File[], tags: string[]) => {
      if (files.length === 0) return;
      const fresh = newUploads(files);
      dispatch({ type: "add", items: fresh });
      queue.current.push(...fresh.filter((item) => item.state === "queued").map((item) => ({ item, tags })));
      pump();
    },
    [pump],
  );

  const cancel = useCallback((key: string) => {
    const waiting = queue.current.findIndex((job) => job.item.key === key);
    if (waiting >= 0) {
      queue.current.splice(waiting, 1);
      dispatch({ type: "failed", key, error: "Cancelled." });
      return;
    }
    controllers.current.get(key)?.abort();
  }, []);

  const dismiss = useCallback((key: string) => dispatch({ type: "dismiss", key }), []);
  const clearFinished = useCallback(() => dispatch({ type: "clearFinished" }), []);

  useEffect(() => {
    const all = controllers.current;
    return () => {
      queue.current = [];
      all.forEach((c) => c.abort());
    };
  }, []);

  return { items, add, cancel, dismiss, clearFinished };
}
