// The live stream (GET /v1/stream/events) read with fetch(): EventSource cannot send the
// Authorization header, and the key must never be put in a URL. Reconnects by itself
// with a growing delay, resuming completed bars after the last id it saw.
import { authHeaders, errorFrom } from "./api";
import { SseParser } from "./sse_parser";

export type StreamState =
  | { kind: "connecting" }
  | { kind: "open" }
  | { kind: "lost"; retryInS: number; reason: string }
  | { kind: "refused"; reason: string; badKey: boolean };

export interface StreamHandlers {
  event(name: string, data: unknown): void;
  state(state: StreamState): void;
}

const RETRY_S = [1, 2, 5, 10, 20];

export class LiveStream {
  private controller: AbortController | null = null;
  private lastId: string | null = null;
  private failures = 0;
  private timer: number | undefined;
  private symbols: string[] = [];

  constructor(private readonly handlers: StreamHandlers) {}

  /** Follow these symbols (a new connection when the set changes). */
  follow(symbols: string[]): void {
    const wanted = [...new Set(symbols.filter(Boolean))].sort();
    if (wanted.join(",") === this.symbols.join(",") && this.controller) return;
    this.symbols = wanted;
    this.lastId = null; // ids resume a stream of the same symbols only
    this.restart(0.2); // changes in a burst (page start) open one connection, not several
  }

  stop(): void {
    clearTimeout(this.timer);
    this.controller?.abort();
    this.controller = null;
  }

  private restart(delayS: number): void {
    this.stop();
    if (this.symbols.length === 0) return;
    const controller = new AbortController();
    this.controller = controller;
    this.timer = window.setTimeout(() => void this.run(controller), delayS * 1000);
  }

  private async run(controller: AbortController): Promise<void> {
    this.handlers.state({ kind: "connecting" });
    let reason = "the connection closed";
    try {
      // jobs=1: sync jobs' progress events too, where the gateway sends them (else ignored).
      const url = `/v1/stream/events?symbols=${encodeURIComponent(this.symbols.join(","))}&jobs=1`;
      const headers: Record<string, string> = { ...authHeaders(), Accept: "text/event-stream" };
      if (this.lastId) headers["Last-Event-ID"] = this.lastId;
      const response = await fetch(url, { headers, signal: controller.signal, cache: "no-store" });
      if (!response.ok || !response.body) {
        const error = await errorFrom(response);
        if (response.status === 401 || response.status === 403 || response.status === 422) {
          this.handlers.state({ kind: "refused", reason: error.message, badKey: error.badKey });
          return;
        }
        const wait = Number(response.headers.get("Retry-After"));
        this.lose(controller, error.message, Number.isFinite(wait) && wait > 0 ? wait : null);
        return;
      }
      this.failures = 0;
      this.handlers.state({ kind: "open" });
      await this.read(response.body, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return;
      reason = error instanceof Error ? error.message : String(error);
    }
    this.lose(controller, reason, null);
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = body.getReader();
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const message of parser.push(decoder.decode(value, { stream: true }))) {
        if (message.id) this.lastId = message.id;
        try {
          this.handlers.event(message.event, JSON.parse(message.data));
        } catch {
          // a payload that is not JSON is skipped, the stream goes on
        }
      }
    }
  }

  private lose(controller: AbortController, reason: string, retryAfterS: number | null): void {
    if (controller.signal.aborted || this.controller !== controller) return;
    const retryInS = retryAfterS ?? RETRY_S[Math.min(this.failures, RETRY_S.length - 1)];
    this.failures += 1;
    this.handlers.state({ kind: "lost", retryInS, reason });
    this.controller = null;
    const next = new AbortController();
    this.controller = next;
    this.timer = window.setTimeout(() => void this.run(next), retryInS * 1000);
  }
}
