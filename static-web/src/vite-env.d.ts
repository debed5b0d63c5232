/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's base URL (the Function App); empty for the same origin. See src/api/base.ts. */
  readonly VITE_API_BASE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
