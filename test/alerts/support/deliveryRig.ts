/**
 * Test support: what the worker-process delivery tests (receiver outage, SIGKILL) run
 * against — a temporary directory holding the worker's config and PGlite store, the
 * recorded-observation API from a first block, a signed webhook receiver, and the worker
 * processes started on that config. `stop()` kills the workers first, then closes the rest.
 *
 * Why: those tests differ in what they do to the worker and the receiver, not in the set-up.
 */
import type { FakeApi } from "./fakeApi.js";
import { observation } from "./observations.js";
import { makeDir, readStore, SECRET, startFakeApi, workerConfig } from "./scenario.js";
import { startTestReceiver, type TestReceiver } from "./testReceiver.js";
import { startWorker, type WorkerProcess } from "./workerProcess.js";

type TempDir = Awaited<ReturnType<typeof makeDir>>;

export class DeliveryRig {
  private readonly workers: WorkerProcess[] = [];

  private constructor(
    private readonly tmp: TempDir,
    readonly api: FakeApi,
    readonly rx: TestReceiver,
    /** The worker's config file (`alerts.yaml` in the temp dir). */
    readonly config: string,
  ) {}

  /** A temp dir named `dirPrefix…`, the API at `firstBlock`, the receiver, the config. */
  static async start(dirPrefix: string, firstBlock: number): Promise<DeliveryRig> {
    const tmp = await makeDir(dirPrefix);
    let api: FakeApi | undefined;
    try {
      api = await startFakeApi(observation(firstBlock));
      const rx = await startTestReceiver({ secret: SECRET });
      return new DeliveryRig(tmp, api, rx, workerConfig(tmp.dir, api, rx.url));
    } catch (err) {
      await api?.close();
      tmp.remove();
      throw err;
    }
  }

  /** A worker process on the rig's config; killed by `stop()` if still running. */
  startWorker(): WorkerProcess {
    const worker = startWorker(["--config", this.config]);
    this.workers.push(worker);
    return worker;
  }

  /** The worker's store (every event and delivery), read once the worker has stopped. */
  readStore(): ReturnType<typeof readStore> {
    return readStore(this.tmp.dir);
  }

  async stop(): Promise<void> {
    for (const w of this.workers) await w.kill();
    await this.rx.close();
    await this.api.close();
    this.tmp.remove();
  }
}
