// bench:console — frame time and bytes written by the real console (src/console) for a simulated
// cluster of 64 servers, 64 groups and 500 monitors changing 10 times a second. Targets: p95 frame
// time under 16 ms, bytes per update within 3x the screen cells that changed.
// Ink renders only the last frame when it thinks it runs in CI: clear that before it is loaded, as
// src/console/load.ts does for the real console, which also runs React's production build.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
process.env.NODE_ENV ??= 'production';
const { runConsoleBench } = await import('./bench.js');
await runConsoleBench();
