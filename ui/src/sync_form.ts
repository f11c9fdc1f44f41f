// The sync form: POST /v1/sync, then the job's progress live until its bars are charted:
// GET /v1/sync/{id} polled each second, and `job.progress` events from the live stream
// where the gateway sends them. Recent jobs (GET /v1/sync, where it exists) are listed.
import { get, request } from "./api";
import type { Job } from "./types";

const POLL_MS = 1000;
const GIVE_UP_MS = 10 * 60 * 1000;

export interface SyncRequest {
  symbol: string;
  interval: string;
  bars?: number;
  start?: string;
  end?: string;
}

export class SyncJobs {
  private items = new Map<string, { item: HTMLLIElement; req: SyncRequest }>();

  constructor(
    private readonly list: HTMLUListElement,
    private readonly hooks: { done(job: Job, request: SyncRequest): Promise<void>; error(e: unknown, doing: string): void },
  ) {}

  async start(req: SyncRequest): Promise<void> {
    const accepted = await request<{ job_id: string }>("POST", "/v1/sync", req);
    const item = document.createElement("li");
    item.dataset.jobId = accepted.job_id;
    this.list.prepend(item);
    this.items.set(accepted.job_id, { item, req });
    this.paint(item, { job_id: accepted.job_id, status: "pending", bars: null, error: null }, req);
    void this.follow(item, accepted.job_id, req);
  }

  /** The newest jobs, when the gateway lists them (older gateways answer 405: none shown). */
  async loadRecent(): Promise<void> {
    let listing: { jobs: Job[] };
    try {
      listing = await get<{ jobs: Job[] }>("/v1/sync?limit=5");
    } catch {
      return;
    }
    for (const job of listing.jobs.slice().reverse()) {
      if (this.items.has(job.job_id) || !job.symbol || !job.interval) continue;
      const item = document.createElement("li");
      item.dataset.jobId = job.job_id;
      const req = { symbol: job.symbol, interval: job.interval, bars: job.bars ?? undefined };
      this.items.set(job.job_id, { item, req });
      this.list.prepend(item);
      this.paint(item, job, req);
    }
  }

  /** A job event from the live stream: progress shown at once (polling still ends it). */
  live(job: Job): void {
    const known = this.items.get(job.job_id);
    if (known && known.item.dataset.charted !== "yes" && job.status !== "done") this.paint(known.item, job, known.req);
  }

  private async follow(item: HTMLLIElement, jobId: string, req: SyncRequest): Promise<void> {
    const began = Date.now();
    while (Date.now() - began < GIVE_UP_MS) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      let job: Job;
      try {
        job = await get<Job>(`/v1/sync/${encodeURIComponent(jobId)}`);
      } catch (error) {
        this.hooks.error(error, `Following sync ${jobId}`);
        continue;
      }
      this.paint(item, job, req);
      if (job.status === "failed") return;
      if (job.status === "done") {
        await this.hooks.done(job, req);
        item.dataset.charted = "yes";
        item.querySelector(".job-state")!.textContent = `done: ${job.bars ?? 0} bars, on the chart`;
        return;
      }
    }
    item.querySelector(".job-state")!.textContent = "no answer for 10 minutes; gave up following";
  }

  private paint(item: HTMLLIElement, job: Job, req: SyncRequest): void {
    item.dataset.status = job.status;
    item.className = `job ${job.status}`;
    const what = document.createElement("span");
    const range = req.bars ? `last ${req.bars} bars` : req.start ? `${req.start} → ${req.end}` : "";
    what.textContent = `${req.symbol} ${req.interval}${range ? `, ${range}` : ""}: `;
    const state = document.createElement("span");
    state.className = "job-state";
    state.textContent = describe(job);
    const bar = document.createElement("progress");
    bar.max = 1;
    const p = job.progress;
    if (job.status === "done") bar.value = 1;
    else if (p?.expected) bar.value = Math.min(1, p.bars_written / p.expected);
    else bar.removeAttribute("value"); // indeterminate
    item.replaceChildren(what, state, bar);
  }
}

function describe(job: Job): string {
  const p = job.progress;
  switch (job.status) {
    case "pending":
      return "waiting for a worker…";
    case "running":
      return p ? `running: ${p.bars_written} of ${p.expected ?? "?"} bars written` : "running…";
    case "done":
      return `done: ${job.bars ?? 0} bars`;
    case "failed":
      return `failed: ${job.error ?? "no reason given"}`;
  }
}
