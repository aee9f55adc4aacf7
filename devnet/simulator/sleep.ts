/**
 * The simulators' pause between blocks at real-time pace: waits `ms`, or less if `signal`
 * aborts (resolving, not rejecting, so a stopped run ends its loop normally), and leaves no
 * listener behind either way. Shared by every protocol's simulator.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
