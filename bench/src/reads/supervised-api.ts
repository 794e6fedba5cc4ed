// The API under measurement, started again if it goes away mid-phase (a machine shared with other work may stop it):
// the phase then runs once more on the new process, and the report says so.
import type { ApiProcess } from "../scale/stack.ts";

export class SupervisedApi {
  restarts = 0;

  private constructor(
    private readonly launch: (attempt: number) => Promise<ApiProcess>,
    private current: ApiProcess,
    private readonly log: (line: string) => void,
  ) {}

  static async start(launch: (attempt: number) => Promise<ApiProcess>, log: (line: string) => void) {
    return new SupervisedApi(launch, await launch(0), log);
  }

  get url(): string {
    return this.current.url;
  }

  get readySeconds(): number {
    return this.current.readySeconds;
  }

  private alive(): Promise<boolean> {
    return fetch(`${this.current.url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
  }

  /** Runs `phase` against the API; when the API is gone afterwards, starts it again and runs the phase once more. */
  async run<T>(label: string, phase: (url: string) => Promise<T>): Promise<T> {
    try {
      const result = await phase(this.current.url);
      if (await this.alive()) return result;
    } catch (error) {
      if (await this.alive()) throw error;
    }
    this.restarts += 1;
    this.log(`the API exited during ${label} (see its log); starting it again and repeating ${label}`);
    await this.current.stop();
    this.current = await this.launch(this.restarts);
    return phase(this.current.url);
  }

  stop(): Promise<void> {
    return this.current.stop();
  }
}
