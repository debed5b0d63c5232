import { describe, expect, it } from "vitest";
import type { ChatSession, SessionDetail } from "../../api/contract";
import { createQueryClient } from "../../api/queryClient";
import { sessionChanged, sessionKeys } from "./queries";

describe("session writes in the cache", () => {
  it("replace the cached session, keep its messages, and make my sessions read again", () => {
    const queryClient = createQueryClient();
    const active = { id: "s1", status: "active" } as ChatSession;
    const messages = [{ id: "m1" }] as SessionDetail["messages"];
    queryClient.setQueryData<SessionDetail>(sessionKeys.detail("s1"), { session: active, messages });
    queryClient.setQueryData(sessionKeys.list, { pages: [], pageParams: [] });

    sessionChanged(queryClient, { ...active, status: "ended" });

    const detail = queryClient.getQueryData<SessionDetail>(sessionKeys.detail("s1"));
    expect(detail?.session.status).toBe("ended");
    expect(detail?.messages).toBe(messages);
    expect(queryClient.getQueryState(sessionKeys.list)?.isInvalidated).toBe(true);
  });

  it("do not make up a detail that was never read", () => {
    const queryClient = createQueryClient();
    sessionChanged(queryClient, { id: "s2", status: "ended" } as ChatSession);
    expect(queryClient.getQueryData(sessionKeys.detail("s2"))).toBeUndefined();
  });
});
