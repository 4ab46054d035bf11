import autocannon from 'autocannon';

/** Runs `fn` and returns its result with the seconds it took. */
export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await fn();
  return [result, (performance.now() - t0) / 1000];
}

/** Samples the process's resident set size while `fn` runs; returns its result and the peak. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakRss: peak };
  } finally {
    clearInterval(timer);
  }
}

export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface LoadFigures {
  requestsPerSec: number;
  /** Latency percentiles and mean, in ms (autocannon records whole milliseconds). */
  p50: number;
  p99: number;
  mean: number;
  requests: number;
  non2xx: number;
  errors: number;
  peakRss: number;
}

function target(origin: string, spec: HttpRequestSpec): autocannon.Options {
  const json = spec.body === undefined ? {} : { body: JSON.stringify(spec.body) };
  return {
    url: `${origin}${spec.path}`,
    method: spec.method,
    headers: { ...(json.body ? { 'content-type': 'application/json' } : {}), ...spec.headers },
    ...json,
  };
}

/** Fixed-duration load on one URL with autocannon, in this process (server and client share it). */
export async function measureHttp(
  origin: string,
  spec: HttpRequestSpec,
  opts: { duration: number; connections: number },
): Promise<LoadFigures> {
  const { result, peakRss } = await withPeakRss(() =>
    autocannon({ ...target(origin, spec), duration: opts.duration, connections: opts.connections }),
  );
  return {
    requestsPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    peakRss,
  };
}

/** A short untimed run so the JIT, caches and connection pools are warm before measuring. */
export async function warmUp(origin: string, spec: HttpRequestSpec, connections: number) {
  await autocannon({ ...target(origin, spec), duration: 1, connections });
}
