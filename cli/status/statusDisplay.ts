/**
 * Where the status goes: in a terminal, a compact block redrawn in place under the log
 * lines (log-update); elsewhere (CI, a pipe, a test driving the CLI) plain lines, written
 * when the picture changes and at most every `plainEverySeconds`, so a log stays readable.
 */
import type { Writable } from "node:stream";
import { createLogUpdate } from "log-update";
import { indexerPhase, renderStatus, type StatusSnapshot } from "./statusSnapshot.js";

export interface StatusDisplay {
  /** Shows a new snapshot. */
  update(s: StatusSnapshot): void;
  /** Writes a line that stays (above the live block in a terminal). */
  log(line: string): void;
  /** Leaves the last picture on screen and stops redrawing. */
  stop(): void;
}

export interface StatusDisplayOptions {
  stream?: Writable & { isTTY?: boolean };
  /** Force the plain mode even on a terminal (`--plain`). */
  plain?: boolean;
  plainEverySeconds?: number;
}

export function createStatusDisplay(opts: StatusDisplayOptions = {}): StatusDisplay {
  const stream = opts.stream ?? process.stdout;
  if (stream.isTTY && !opts.plain) return ttyDisplay(stream);
  return plainDisplay(stream, (opts.plainEverySeconds ?? 10) * 1000);
}

function ttyDisplay(stream: Writable): StatusDisplay {
  const draw = createLogUpdate(stream as NodeJS.WriteStream, { showCursor: true });
  let last: string[] = [];
  let stopped = false;
  return {
    update(s) {
      if (stopped) return;
      last = renderStatus(s);
      draw(last.join("\n"));
    },
    log(line) {
      if (stopped) return void stream.write(`${line}\n`);
      draw.clear();
      stream.write(`${line}\n`);
      draw(last.join("\n"));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      draw.done();
    },
  };
}

function plainDisplay(stream: Writable, everyMs: number): StatusDisplay {
  let lastKey = "";
  let lastPhase = "";
  let lastAt = 0;
  return {
    update(s) {
      const lines = renderStatus(s);
      const key = lines.join("\n");
      const phase = indexerPhase(s);
      const due = Date.now() - lastAt >= everyMs;
      // A new phase is news at once; other changes wait for the interval.
      if (phase === lastPhase && (key === lastKey || !due)) return;
      lastKey = key;
      lastPhase = phase;
      lastAt = Date.now();
      for (const l of lines) stream.write(`status | ${l}\n`);
    },
    log(line) {
      stream.write(`${line}\n`);
    },
    stop() {},
  };
}
