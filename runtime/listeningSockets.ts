/**
 * The TCP sockets processes listen on, read from Linux's /proc: a process's file descriptors
 * name socket inodes, /proc/net/tcp and tcp6 give each inode's local address and state (0A:
 * LISTEN). `perpwatch start` names who holds a taken port with it (portCheck.ts), and tests
 * say which addresses a running stack accepts connections on. Elsewhere than Linux it finds
 * nothing, never fails.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface Listening {
  pid: number;
  /** "127.0.0.1", "0.0.0.0", "::", "::1", "::ffff:127.0.0.1", … */
  address: string;
  port: number;
}

/** An address of /proc/net/tcp (8 hex digits, little-endian) or tcp6 (4 such words). */
function decodeAddress(hex: string): string {
  if (hex.length === 8) {
    return [0, 2, 4, 6]
      .map((i) => Number.parseInt(hex.slice(i, i + 2), 16))
      .reverse()
      .join(".");
  }
  const bytes: number[] = [];
  for (let w = 0; w < 32; w += 8) {
    const word = hex.slice(w, w + 8);
    for (let i = 6; i >= 0; i -= 2) bytes.push(Number.parseInt(word.slice(i, i + 2), 16));
  }
  const v4mapped =
    bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255;
  if (v4mapped) return `::ffff:${bytes.slice(12).join(".")}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const text = groups.join(":");
  if (text === "0:0:0:0:0:0:0:0") return "::";
  if (text === "0:0:0:0:0:0:0:1") return "::1";
  return text;
}

/** Every listening TCP socket of the machine, by inode. */
export function listeningByInode(): Map<string, { address: string; port: number }> {
  const out = new Map<string, { address: string; port: number }>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== "0A" || !f[1] || !f[9]) continue;
      const [addr, port] = f[1].split(":");
      out.set(f[9], { address: decodeAddress(addr!), port: Number.parseInt(port!, 16) });
    }
  }
  return out;
}

/** The inodes of the sockets a process has open (none when it is gone or not readable). */
export function socketInodesOf(pid: number | string): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) out.push(inode);
  }
  return out;
}

/** The sockets `pids` listen on (a pid that is gone lists none). */
export function listeningSockets(pids: readonly number[]): Listening[] {
  const all = listeningByInode();
  return pids.flatMap((pid) =>
    socketInodesOf(pid).flatMap((inode) => {
      const sock = all.get(inode);
      return sock ? [{ pid, ...sock }] : [];
    }),
  );
}

/** Whether an address accepts connections from other machines (all interfaces). */
export function isWildcard(address: string): boolean {
  return address === "0.0.0.0" || address === "::" || address === "::ffff:0.0.0.0";
}
