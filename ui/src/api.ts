// The REST API with the key in the Authorization header; errors as plain sentences.
import { savedKey } from "./auth";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  get badKey(): boolean {
    return this.status === 401;
  }
}

export function authHeaders(): Record<string, string> {
  const key = savedKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** A sentence from an RFC 9457 problem (its `detail`, else `title`), or from the status. */
export async function errorFrom(response: Response): Promise<ApiError> {
  let text = `${response.status} ${response.statusText}`.trim();
  try {
    const problem = (await response.json()) as { title?: string; detail?: string };
    text = problem.detail || problem.title || text;
  } catch {
    // not JSON: keep the status line
  }
  if (response.status === 401) text = `Your API key was refused: ${text}. Enter a valid key.`;
  if (response.status === 403) text = `Your API key may not do this: ${text}`;
  if (response.status === 429) {
    const wait = response.headers.get("Retry-After");
    text = `Too many requests${wait ? `; retry in ${wait} s` : ""}: ${text}`;
  }
  return new ApiError(text, response.status);
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...authHeaders(),
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError("The gateway cannot be reached: is the stack running?", 0);
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string): Promise<T> => request<T>("GET", path);

export function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== "");
  return new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
}
