// Small stand-ins shared by the unit tests (never imported by the app).

/** localStorage/sessionStorage in memory, for tests that run without a DOM. */
export class MemoryStorage {
  private data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

/** A JSON response as fetch returns it; `undefined` makes an empty body. */
export function json(status: number, body: unknown, type = "application/json"): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": type } });
}
