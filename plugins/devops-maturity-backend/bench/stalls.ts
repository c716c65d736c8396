import { IntervalHistogram, monitorEventLoopDelay } from 'perf_hooks';

/**
 * The event loop's longest stall while our code runs: how long every other plugin of the
 * backend would have waited. Measured only around our work, not the naive baseline's.
 */
export class StallMeter {
  private longestMs = 0;

  async during<T>(fn: () => Promise<T>): Promise<T> {
    const histogram: IntervalHistogram = monitorEventLoopDelay({
      resolution: 10,
    });
    histogram.enable();
    try {
      return await fn();
    } finally {
      // a last tick records the stall between the last sample and the end of fn
      await new Promise(resolve => setTimeout(resolve, 20));
      histogram.disable();
      // max is in nanoseconds, and 0 when the loop never turned to record a sample
      if (histogram.count > 0)
        this.longestMs = Math.max(this.longestMs, histogram.max / 1e6);
    }
  }

  get longest(): string {
    return `${this.longestMs.toFixed(0)} ms`;
  }
}

/** A StallMeter per phase of a run, so that a long stall can be traced to what caused it. */
export class PhaseStalls {
  private readonly meters = new Map<string, StallMeter>();

  during<T>(phase: string, fn: () => Promise<T>): Promise<T> {
    let meter = this.meters.get(phase);
    if (!meter) {
      meter = new StallMeter();
      this.meters.set(phase, meter);
    }
    return meter.during(fn);
  }

  /** `phase longest, ...`, in the order the phases first ran. */
  get summary(): string {
    return [...this.meters]
      .map(([phase, meter]) => `${phase} ${meter.longest}`)
      .join(', ');
  }
}
