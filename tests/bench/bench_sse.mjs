// SPDX-License-Identifier: GPL-3.0-or-later
// The Node peer of bench-sse.c: the npm `eventsource` package reading the stream until N
// events. `node bench_sse.mjs URL N MODULE_DIR` (the package is installed into /tmp by
// bench-sse, never into the tree). Prints JSON.
const [url, n, moduleDir] = process.argv.slice(2);
const { EventSource } = await import(`${moduleDir}/node_modules/eventsource/dist/index.js`);
const N = Number(n);

let count = 0;
const start = performance.now();
const source = new EventSource(url);
source.onmessage = () => {
  count++;
  if (count === N) {
    const seconds = (performance.now() - start) / 1000;
    source.close();
    console.log(JSON.stringify({ events: count, seconds, events_per_s: count / seconds }));
    process.exit(0);
  }
};
source.onerror = (e) => {
  if (count < N && source.readyState === EventSource.CLOSED) {
    console.error(`eventsource failed: ${e.message}`);
    process.exit(1);
  }
};
