"""A small deterministic OpenAI-compatible chat server for tests and benchmarks (loopback only).

POST /v1/chat/completions answers ``{"rating": r, "rationale": ...}`` where r (1-10) is a hash of
the last user message, so answers are reproducible. Every response delivered is counted: one
line with the prompt's hash is appended to ``--log`` in the same critical section that sends it.
``--die-after N`` crashes the process (os._exit) right after delivering the N-th response;
``--fail-first N`` answers the first N requests with HTTP 429 (rate limited).

Run: python openai_server.py --port 0 --log calls.log   (prints "listening PORT" when ready)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def rating_for(text: str) -> int:
    """The deterministic rating the server gives a prompt."""
    return 1 + int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 10


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", required=True)
    ap.add_argument("--die-after", type=int, default=0)
    ap.add_argument("--fail-first", type=int, default=0)
    ap.add_argument("--delay", type=float, default=0.0)
    args = ap.parse_args()
    lock = threading.Lock()
    state = {"served": 0, "seen": 0}
    log = open(args.log, "a", encoding="utf-8")  # noqa: SIM115

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *a: object) -> None:
            pass

        def _send(self, status: int, body: bytes, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            if not self.path.endswith("/chat/completions"):
                self._send(404, b'{"error": {"message": "not found"}}')
                return
            with lock:
                state["seen"] += 1
                limited = state["seen"] <= args.fail_first
            if limited:
                self._send(429, b'{"error": {"message": "rate limited", "type": "rate_limit"}}',
                           {"Retry-After": "0"})
                return
            if args.delay:
                time.sleep(args.delay)
            user = [m for m in body["messages"] if m["role"] == "user"][-1]["content"]
            if isinstance(user, list):
                user = "".join(part.get("text", "") for part in user)
            digest = hashlib.sha256(user.encode()).hexdigest()[:16]
            content = json.dumps({"rating": rating_for(user), "rationale": f"prompt {digest}"})
            reply = {
                "id": f"chatcmpl-{digest}", "object": "chat.completion", "created": 0,
                "model": body.get("model", "local"),
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
                "usage": {"prompt_tokens": len(user) // 4, "completion_tokens": 20,
                          "total_tokens": len(user) // 4 + 20},
            }
            data = json.dumps(reply).encode()
            with lock:  # send and count together, so every delivered answer is counted once
                self._send(200, data)
                log.write(digest + "\n")
                log.flush()
                state["served"] += 1
                if args.die_after and state["served"] >= args.die_after:
                    os._exit(0)

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening {server.server_address[1]}", flush=True)
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
