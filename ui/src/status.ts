// One line that says plainly what is going on: errors, lost connections, progress.
import { ApiError } from "./api";

export type Tone = "error" | "warn" | "info";

export class StatusLine {
  private sticky: string | null = null;

  constructor(
    private readonly element: HTMLElement,
    private readonly onBadKey: () => void,
  ) {}

  show(text: string, tone: Tone = "info", source = "page"): void {
    this.element.hidden = false;
    this.element.textContent = text;
    this.element.className = `status ${tone}`;
    this.element.dataset.tone = tone;
    this.element.dataset.source = source;
  }

  clear(source?: string): void {
    if (source && this.element.dataset.source !== source) return;
    this.element.hidden = true;
    this.element.textContent = "";
    this.element.dataset.tone = "";
  }

  /** An error from any request, with what the user was doing. */
  error(error: unknown, doing?: string): void {
    const text = error instanceof Error ? error.message : String(error);
    this.show(doing ? `${doing}: ${text}` : text, "error");
    if (error instanceof ApiError && error.badKey) this.onBadKey();
    this.sticky = text;
  }

  get lastError(): string | null {
    return this.sticky;
  }
}
