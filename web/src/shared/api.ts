// Calls the API with the signed-in token and the chosen language. A request that cannot reach the
// server (no network, dropped link) is said plainly in the connection banner and tried again with
// growing pauses; only an answer from the server (a problem document) ends it.
import { lang } from "./i18n";
import { token } from "./auth";
import { config } from "./config";

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: Record<string, string[]>;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(public problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
  }
}

type Listener = (offline: boolean, attempt: number) => void;
const listeners = new Set<Listener>();
export function onConnection(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function reportConnection(offline: boolean, attempt = 0) {
  listeners.forEach((l) => l(offline, attempt));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pause before the n-th retry: 1, 2, 4, 8, then 15 seconds. */
export const backoff = (attempt: number) => Math.min(15000, 1000 * 2 ** Math.max(0, attempt - 1));

/**
 * fetch that keeps trying while the network is down. Retrying is safe for what the pages send: reads,
 * opening an application carries an Idempotency-Key, and every other action answers 409 when repeated.
 */
export async function resilientFetch(input: string, init: RequestInit = {}, maxAttempts = 8): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(input, init);
      if (attempt > 1) reportConnection(false);
      return response;
    } catch (e) {
      if (init.signal?.aborted || attempt >= maxAttempts) {
        reportConnection(false);
        throw e;
      }
      reportConnection(true, attempt);
      await sleep(backoff(attempt));
    }
  }
}

export async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = {
    method,
    headers: {
      accept: "application/json",
      "accept-language": lang() === "bo" ? "bo, zh;q=0.5" : "zh",
      ...(token() ? { authorization: `Bearer ${token()}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  };
  const response = await resilientFetch(config().apiBase + path, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError({ status: response.status, ...(data ?? {}) });
  return data as T;
}

/** The catalog's lang parameter, so catalog texts come in the chosen language (with Chinese fallback). */
export const langQuery = () => `lang=${lang()}`;
