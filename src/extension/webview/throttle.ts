// Live updates to a webview at most every N ms: the first request starts the wait, later ones join it; flush sends
// what is pending at once (at the end of a run), cancel drops it (the panel closed). Panels get one from PanelCore.
export class Throttle {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly send: () => void,
  ) {}

  request(): void {
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends now when something is pending. */
  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.send();
  }

  /** Drops what is pending, sending nothing. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
