/**
 * Ports checked before anything starts: `perpwatch start` used to launch anvil, deploy and
 * spawn Ponder before finding out the API port was taken, and Ponder then moved to the next
 * free port on its own while the status kept polling the old one. Each taken port is one line
 * naming the port, who holds it when this machine can tell, and the flag that changes it.
 *
 * Why listen on the unspecified address: a listener on any address of the port (loopback,
 * all interfaces, IPv6 dual-stack, as Ponder binds) refuses it, so one probe covers them all.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { listeningByInode, socketInodesOf } from "./listeningSockets.js";

/** One port a command is about to listen on. */
export interface PortUse {
  port: number;
  /** What listens there, e.g. "the API". */
  what: string;
  /** The flag that changes it, e.g. "--api-port". */
  flag: string;
}

/** Whether something already listens on `port` (0 is never taken: the OS picks one). */
export function portTaken(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "EADDRINUSE"));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** "pid 123 (node …/ponder.js start)" for the process listening on `port`, or null. */
export function portHolder(port: number): string | null {
  const inodes = new Set(
    [...listeningByInode()].filter(([, s]) => s.port === port).map(([inode]) => inode),
  );
  if (inodes.size === 0) return null;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    if (socketInodesOf(pid).some((i) => inodes.has(i))) return `pid ${pid} (${commandLine(pid)})`;
  }
  return null;
}

/** Node's options that take the next argument as their value. */
const VALUE_FLAGS = new Set(["--require", "-r", "--import", "--loader", "--experimental-loader"]);

/** Its program and arguments, short: node's own options dropped, paths by their last part. */
export function shortCommand(argv: readonly string[]): string {
  const [program = "?", ...rest] = argv;
  let i = 0;
  const node = program.split("/").pop() === "node";
  while (node && i < rest.length && rest[i]!.startsWith("-"))
    i += VALUE_FLAGS.has(rest[i]!) ? 2 : 1;
  const words = [program, ...rest.slice(i)].map((w) => (w.includes("/") ? w.split("/").pop()! : w));
  const line = words.join(" ");
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

function commandLine(pid: string): string {
  try {
    return shortCommand(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean));
  } catch {
    return "?";
  }
}

/** One line per port of `uses` that is taken (none: all free). */
export async function portConflicts(uses: readonly PortUse[]): Promise<string[]> {
  const lines: string[] = [];
  for (const u of uses) {
    if (!(await portTaken(u.port))) continue;
    const holder = portHolder(u.port);
    lines.push(
      `port ${u.port} (${u.what}) is already in use${holder ? ` by ${holder}` : ""}; choose another with ${u.flag}`,
    );
  }
  return lines;
}
