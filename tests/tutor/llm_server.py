"""A small OpenAI-compatible chat server for tests: a real HTTP server on 127.0.0.1 in a background thread.

``behaviour`` decides how it answers the next requests: "ok" (a cited answer), "uncited" (an answer without [n]),
"slow" (waits longer than any test timeout before answering), "error" (HTTP 500), "garbage" (200 with a body that
is not a chat completion), "break" (a stream that stops with a bad chunk). Every request body is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ANSWER_PIECES = [
    "Use a customer managed KMS key ",
    "whose key policy trusts the target account [1]. ",
    "Add a bucket policy [2].",
]
SLOW_SECONDS = 3.0


class FakeLLM:
    def __init__(self) -> None:
        self.behaviour = "ok"
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                request = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(request)
                fake.headers.append(dict(self.headers))
                if self.path != "/v1/chat/completions":
                    self._send(404, b'{"error": "not found"}')
                    return
                behaviour = fake.behaviour
                if behaviour == "slow":
                    time.sleep(SLOW_SECONDS)
                if behaviour == "error":
                    self._send(500, b'{"error": {"message": "model crashed"}}')
                    return
                if behaviour == "garbage":
                    self._send(200, b"<html>this is not json</html>", "text/html")
                    return
                pieces = ["A plain answer without any citation."] if behaviour == "uncited" else ANSWER_PIECES
                if not request.get("stream"):
                    body = {
                        "id": "x",
                        "object": "chat.completion",
                        "model": request.get("model"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": "".join(pieces)},
                                "finish_reason": "stop",
                            }
                        ],
                    }
                    self._send(200, json.dumps(body).encode())
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for number, piece in enumerate(pieces):
                    if behaviour == "break" and number == 1:
                        self.wfile.write(b"data: {not json\n\n")
                        self.wfile.flush()
                        return
                    chunk = {"choices": [{"index": 0, "delta": {"content": piece}}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeLLM:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
