// The live watchlist (PUT/DELETE /v1/stream/subscriptions/{symbol}): each symbol with its
// last price and its change since the session open (the open of its latest 1d bar).
import { get, query, request } from "./api";
import { change, price } from "./format";
import type { BarsPage, Quote } from "./types";

interface Row {
  last: number | null;
  open: number | null;
  element: HTMLTableRowElement;
}

export class Watchlist {
  private rows = new Map<string, Row>();

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly hooks: { changed(): void; pick(symbol: string): void; error(e: unknown, doing: string): void },
  ) {}

  get symbols(): string[] {
    return [...this.rows.keys()];
  }

  async load(): Promise<void> {
    const list = await get<{ subscriptions: { symbol: string }[] }>("/v1/stream/subscriptions");
    this.rows.clear();
    this.body.replaceChildren();
    for (const s of list.subscriptions) this.addRow(s.symbol);
    this.hooks.changed();
  }

  async add(symbol: string): Promise<void> {
    const entry = await request<{ symbol: string }>("PUT", `/v1/stream/subscriptions/${encodeURIComponent(symbol)}`);
    if (!this.rows.has(entry.symbol)) this.addRow(entry.symbol);
    this.hooks.changed();
  }

  async remove(symbol: string): Promise<void> {
    await request<void>("DELETE", `/v1/stream/subscriptions/${encodeURIComponent(symbol)}`);
    this.rows.get(symbol)?.element.remove();
    this.rows.delete(symbol);
    this.hooks.changed();
  }

  quote(q: Quote): void {
    const row = this.rows.get(q.symbol);
    if (!row) return;
    row.last = q.price;
    this.paint(q.symbol, row);
  }

  dayBar(symbol: string, open: number): void {
    const row = this.rows.get(symbol);
    if (!row) return;
    row.open = open;
    this.paint(symbol, row);
  }

  private addRow(symbol: string): void {
    const element = document.createElement("tr");
    element.dataset.symbol = symbol;
    const name = document.createElement("td");
    const link = document.createElement("button");
    link.type = "button";
    link.className = "link";
    link.textContent = symbol;
    link.addEventListener("click", () => this.hooks.pick(symbol));
    name.append(link);
    const last = document.createElement("td");
    last.className = "num last";
    const diff = document.createElement("td");
    diff.className = "num change";
    const drop = document.createElement("td");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove";
    remove.title = `Remove ${symbol}`;
    remove.textContent = "×";
    remove.addEventListener("click", () => this.remove(symbol).catch((e) => this.hooks.error(e, `Removing ${symbol}`)));
    drop.append(remove);
    element.append(name, last, diff, drop);
    this.body.append(element);
    const row: Row = { last: null, open: null, element };
    this.rows.set(symbol, row);
    this.paint(symbol, row);
    void this.prime(symbol, row);
  }

  /** The last quote and session open known before live events arrive (either may be absent). */
  private async prime(symbol: string, row: Row): Promise<void> {
    const [quote, day] = await Promise.allSettled([
      get<Quote>(`/v1/quotes/${encodeURIComponent(symbol)}`),
      get<BarsPage>(`/v1/bars?${query({ symbol, interval: "1d", sort: "desc", limit: 1 })}`),
    ]);
    if (quote.status === "fulfilled" && row.last === null) row.last = quote.value.price;
    if (day.status === "fulfilled" && row.open === null && day.value.bars[0]) row.open = day.value.bars[0].o;
    this.paint(symbol, row);
  }

  private paint(symbol: string, row: Row): void {
    const [name, last, diff] = row.element.children as unknown as HTMLElement[];
    last.textContent = price(row.last);
    const c = change(row.last, row.open);
    diff.textContent = c.percent;
    diff.title = c.amount ? `${c.amount} since the session open (${price(row.open)})` : "no session open known yet";
    diff.className = `num change ${c.sign > 0 ? "up" : c.sign < 0 ? "down" : ""}`;
    row.element.dataset.last = row.last === null ? "" : String(row.last);
    row.element.dataset.change = c.percent;
    name.title = `${symbol}: show on the chart`;
  }
}
