// An independent SSE client for sse-hyper's server tests: the `eventsource`
// package (the WHATWG EventSource for Node) connects to the URL given, and
// every event it dispatches is printed as one JSON line on stdout:
//   {"type": "...", "data": "...", "lastEventId": "..."}
// Listens for "message" and for the event types named in the second
// argument (comma-separated); exits after the first event of type "done".
// Errors (the stream ending, a reconnect) go to stderr, for debugging.
//
//   node client.mjs http://127.0.0.1:PORT/ token,done
import { EventSource } from "eventsource";

const [url, types = ""] = process.argv.slice(2);
if (!url) {
  console.error("usage: node client.mjs URL [TYPE,TYPE...]");
  process.exit(64);
}

const source = new EventSource(url);
const print = (event) => {
  const line = { type: event.type, data: event.data, lastEventId: event.lastEventId };
  process.stdout.write(JSON.stringify(line) + "\n");
  if (event.type === "done") {
    source.close();
    process.exit(0);
  }
};
source.addEventListener("message", print);
for (const type of types.split(",").filter(Boolean)) {
  source.addEventListener(type, print);
}
source.addEventListener("error", (event) => {
  console.error(`error event (readyState ${source.readyState}): ${event.message ?? ""}`);
});

// Never hang a test run.
setTimeout(() => {
  console.error("timed out waiting for a 'done' event");
  process.exit(2);
}, 20_000).unref();
