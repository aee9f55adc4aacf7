/**
 * Runs queued callbacks a few per turn of the event loop (in `setImmediate`, after the turn's
 * I/O), in arrival order. Why: work that arrives in a burst — 200 analytics requests to let in or
 * refuse — done all at once holds up every request read in the same turn; paced, other requests
 * are read and answered between two batches. `perTurn` is asked before each batch.
 */
export class TurnPacer {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly perTurn: () => number) {}

  run(callback: () => void): void {
    this.waiting.push(callback);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.pump);
    }
  }

  private readonly pump = (): void => {
    for (const callback of this.waiting.splice(0, Math.max(1, this.perTurn()))) callback();
    if (this.waiting.length > 0) setImmediate(this.pump);
    else this.scheduled = false;
  };
}
