// The sync form: POST /v1/sync, then the job's progress live (GET /v1/sync/{id} polled
// each second; its `progress` where the gateway reports it) until its bars are charted.
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
  constructor(
    private readonly list: HTMLUListElement,
    private readonly hooks: { done(job: Job, request: SyncRequest): Promise<void>; error(e: unknown, doing: string): void },
  ) {}

  async start(req: SyncRequest): Promise<void> {
    const accepted = await request<{ job_id: string }>("POST", "/v1/sync", req);
    const item = document.createElement("li");
    item.dataset.jobId = accepted.job_id;
    this.list.prepend(item);
    this.paint(item, { job_id: accepted.job_id, status: "pending", bars: null, error: null }, req);
    void this.follow(item, accepted.job_id, req);
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
    const range = req.bars ? `last ${req.bars} bars` : `${req.start} → ${req.end}`;
    what.textContent = `${req.symbol} ${req.interval}, ${range}: `;
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
