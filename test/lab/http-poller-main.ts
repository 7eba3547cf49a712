// Runs inside the lab's client namespace: polls a URL and writes one JSON line per request to
// stdout ({at, server}), `at` being when the request was sent. Stops on SIGTERM or after `maxMs`.
// Usage: node http-poller-main.js URL EVERY_MS MAX_MS
const [url, everyArg, maxArg] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: http-poller-main URL [EVERY_MS] [MAX_MS]\n');
  process.exit(2);
}
const everyMs = Number(everyArg ?? 25);
const end = Date.now() + Number(maxArg ?? 600_000);
let running = true;
process.once('SIGTERM', () => (running = false));

async function poll(): Promise<string | null> {
  try {
    const response = await fetch(url as string, { signal: AbortSignal.timeout(500) });
    const body = await response.text();
    return response.status === 200 ? (/s\d+/.exec(body)?.[0] ?? body.trim()) : null;
  } catch {
    return null;
  }
}

while (running && Date.now() < end) {
  const at = Date.now();
  const server = await poll();
  process.stdout.write(`${JSON.stringify({ at, server })}\n`);
  await new Promise((resolve) => setTimeout(resolve, everyMs));
}
