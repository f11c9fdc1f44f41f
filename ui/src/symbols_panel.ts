// Tracked symbols (GET /v1/symbols) with each interval's covered range, searchable.
import { get } from "./api";
import { day } from "./format";
import type { SymbolInfo } from "./types";

export class SymbolsPanel {
  private all: SymbolInfo[] = [];

  constructor(
    private readonly list: HTMLUListElement,
    search: HTMLInputElement,
    private readonly pick: (symbol: string, interval?: string) => void,
  ) {
    search.addEventListener("input", () => this.paint(search.value.trim().toUpperCase()));
  }

  info(symbol: string): SymbolInfo | undefined {
    return this.all.find((s) => s.symbol === symbol);
  }

  async load(): Promise<void> {
    const body = await get<{ symbols: SymbolInfo[] }>("/v1/symbols");
    this.all = body.symbols;
    this.paint("");
  }

  private paint(filter: string): void {
    const items = this.all
      .filter((s) => !filter || s.symbol.includes(filter) || (s.description ?? "").toUpperCase().includes(filter))
      .map((s) => this.item(s));
    if (items.length === 0) {
      const empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = this.all.length ? "No symbol matches." : "No symbols yet: sync one below.";
      items.push(empty);
    }
    this.list.replaceChildren(...items);
  }

  private item(s: SymbolInfo): HTMLLIElement {
    const li = document.createElement("li");
    li.dataset.symbol = s.symbol;
    const name = document.createElement("button");
    name.type = "button";
    name.className = "link";
    name.textContent = s.symbol;
    name.title = s.description ?? s.symbol;
    name.addEventListener("click", () => this.pick(s.symbol, s.intervals[0]?.interval));
    li.append(name);
    for (const c of s.intervals) {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "chip";
      chip.textContent = c.interval;
      chip.title = `${c.interval}: ${day(c.start)} → ${day(c.end)}${c.bars ? `, ${c.bars} bars` : ""}`;
      chip.addEventListener("click", () => this.pick(s.symbol, c.interval));
      const range = document.createElement("span");
      range.className = "range muted";
      range.textContent = `${day(c.start)} → ${day(c.end)}`;
      const line = document.createElement("div");
      line.append(chip, range);
      li.append(line);
    }
    return li;
  }
}
