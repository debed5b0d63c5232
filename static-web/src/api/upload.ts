// Uploads with progress (fetch has no upload progress events, XMLHttpRequest does): the same bearer token, refresh retry
// and problem+json errors as http.ts.
import { apiUrl } from "./base";
import { ApiError, networkError, parseBody, parseProblem } from "./http";
import { bearerToken, refreshAfterUnauthorized } from "./tokens";

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

async function sendXhr(path: string, form: FormData, options: UploadOptions): Promise<{ status: number; body: unknown }> {
  const access = await bearerToken();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", apiUrl(path));
    xhr.setRequestHeader("Accept", "application/json, application/problem+json");
    if (access) xhr.setRequestHeader("Authorization", `Bearer ${access}`);
    const onAbort = () => xhr.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => options.signal?.removeEventListener("abort", onAbort);
    if (options.onProgress) {
      const report = options.onProgress;
      xhr.upload.addEventListener("progress", (event) => {
        report({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
      });
    }
    xhr.addEventListener("load", () => {
      done();
      resolve({ status: xhr.status, body: parseBody(typeof xhr.responseText === "string" ? xhr.responseText : "") });
    });
    xhr.addEventListener("error", () => {
      done();
      reject(networkError());
    });
    xhr.addEventListener("abort", () => {
      done();
      reject(new DOMException("The upload was cancelled.", "AbortError"));
    });
    if (options.signal?.aborted) {
      xhr.abort();
      return;
    }
    xhr.send(form);
  });
}

/**
 * POSTs multipart form data with upload progress events; the same bearer token, one refresh retry on 401
 * and problem+json errors as `request`. `makeForm` is called again for the retry.
 */
export async function uploadForm<T>(path: string, makeForm: () => FormData, options: UploadOptions = {}): Promise<T> {
  let result = await sendXhr(path, makeForm(), options);
  if (result.status === 401 && (await refreshAfterUnauthorized())) {
    result = await sendXhr(path, makeForm(), options);
  }
  if (result.status < 200 || result.status >= 300) throw new ApiError(parseProblem(result.status, result.body));
  return result.body as T;
}
