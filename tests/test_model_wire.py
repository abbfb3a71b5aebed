"""The `openai` and `ollama` providers against local servers that speak each protocol.

Each server runs on 127.0.0.1 in a thread, streams its reply the way the
real service does (server-sent events for OpenAI, JSON lines for Ollama) and
records every request body, so redaction, timeouts, fallback and the output
rail are checked on the wire, not through a fake model object.
"""
from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.config import Settings
from assistant.engine import Engine
from assistant.store import SessionStore

NAMES = ["pupil: Callum Reid", "staff: Mr Okafor"]
MESSAGE = ("Callum Reid (UPN k12345678901a, NHS 943 476 5919, born 2012-03-15) threw a chair when Mr Okafor moved "
           "him. Ayesha Khan saw it. Mum lives at 14 Station Road, s63 7qq.")
SECRETS = ["Callum", "Reid", "Okafor", "k12345678901a", "943 476 5919", "2012-03-15", "Ayesha", "Khan",
           "Station Road", "s63 7qq"]
REPLY = ("Thank you for setting that out. What had happened for [Pupil A] just before Mr [Staff B] moved him? "
         "What does his plan say about seating? [`behaviour-as-communication-and-trauma`]")


class Recorder:
    def __init__(self, reply: str, delay: float = 0.0, status: int = 200) -> None:
        self.reply, self.delay, self.status = reply, delay, status
        self.bodies: list[dict] = []


def _handler(recorder: Recorder, protocol: str):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep the test output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            recorder.bodies.append({"path": self.path, **body})
            time.sleep(recorder.delay)
            if recorder.status != 200:
                self.send_response(recorder.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error": {"message": "server error"}}')
                return
            words = recorder.reply.split(" ")
            pieces = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
            self.send_response(200)
            if protocol == "openai":
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for piece in pieces:
                    chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "test",
                             "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece},
                                          "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                done = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "test",
                        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
            else:
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                for piece in pieces:
                    line = {"model": "test", "created_at": "2026-01-01T00:00:00Z",
                            "message": {"role": "assistant", "content": piece}, "done": False}
                    self.wfile.write((json.dumps(line) + "\n").encode())
                    self.wfile.flush()
                last = {"model": "test", "created_at": "2026-01-01T00:00:00Z",
                        "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
                        "total_duration": 1, "eval_count": len(pieces), "prompt_eval_count": 1}
                self.wfile.write((json.dumps(last) + "\n").encode())

    return Handler


@contextmanager
def server(protocol: str, recorder: Recorder):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder, protocol))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        port = httpd.server_address[1]
        yield f"http://127.0.0.1:{port}" + ("/v1" if protocol == "openai" else "")
    finally:
        httpd.shutdown()
        httpd.server_close()


def engine_for(tmp_path, protocol: str, url: str, **settings) -> Engine:
    config = Settings(provider=protocol, model="test", base_url=url, redact="always", **settings)
    return Engine(store=SessionStore(tmp_path / "s.sqlite3"), settings=config)


def sent_text(body: dict) -> str:
    return "\n".join(m["content"] if isinstance(m["content"], str) else json.dumps(m["content"])
                     for m in body["messages"])


@pytest.mark.parametrize("protocol", ["openai", "ollama"])
def test_what_goes_over_the_wire_is_redacted_and_the_stream_comes_back_restored(tmp_path, protocol):
    recorder = Recorder(REPLY)
    with server(protocol, recorder) as url:
        engine = engine_for(tmp_path, protocol, url)
        session = engine.new_session("live", names=NAMES)
        pieces: list[str] = []
        result = engine.turn(session, MESSAGE, on_chunk=pieces.append)
    assert len(recorder.bodies) == 1 and recorder.bodies[0]["stream"] is True
    wire = sent_text(recorder.bodies[0])
    for secret in SECRETS:
        assert secret not in wire, secret
    assert "[Pupil A]" in wire and "Mr [Staff B]" in wire
    assert result.notice is None and len(pieces) > 1
    assert "What had happened for Callum Reid just before Mr Okafor moved him?" in result.reply
    assert any(line.startswith("Ayesha Khan → ") for line in result.redacted)  # the user is told
    assert "[Pupil A]" in result.sent_to_model and "Callum" not in result.sent_to_model  # shown to the user


@pytest.mark.parametrize("protocol", ["openai", "ollama"])
def test_a_server_that_does_not_answer_in_time_falls_back(tmp_path, protocol):
    with server(protocol, Recorder(REPLY, delay=3.0)) as url:
        engine = engine_for(tmp_path, protocol, url, timeout_seconds=0.5)
        result = engine.turn(engine.new_session("live"), MESSAGE)
    assert "did not answer in time" in result.notice and "offline responder" in result.notice
    assert result.kind == "reflection" and result.reply.strip()  # the offline reply, whole


@pytest.mark.parametrize("protocol", ["openai", "ollama"])
def test_a_server_error_falls_back_with_a_notice(tmp_path, protocol):
    with server(protocol, Recorder(REPLY, status=500)) as url:
        engine = engine_for(tmp_path, protocol, url)
        result = engine.turn(engine.new_session("live"), MESSAGE)
    assert "offline responder" in result.notice and result.kind == "reflection"


@pytest.mark.parametrize("protocol", ["openai", "ollama"])
def test_a_determination_from_the_server_is_replaced_and_never_given_sources(tmp_path, protocol):
    decides = ("Looking at this, you should permanently exclude him; it is the right decision and the policy is "
               "clear. [`behaviour-as-communication-and-trauma`]")
    with server(protocol, Recorder(decides)) as url:
        engine = engine_for(tmp_path, protocol, url)
        pieces: list[str] = []
        result = engine.turn(engine.new_session("live"), MESSAGE, on_chunk=pieces.append)
    assert "permanently exclude him" not in result.reply  # the offline reply is shown instead
    assert result.notice and "output check" in result.notice
    assert "permanently exclude him" not in "".join(pieces) and "Sources:" not in result.reply


@pytest.mark.parametrize("protocol", ["openai", "ollama"])
def test_escape_codes_from_the_server_never_reach_the_screen(tmp_path, protocol):
    hostile = "What happened first?\x1b]52;c;cGFzdGU=\x07 \x1b[2J Tell me more. [`behaviour-as-communication-and-trauma`]"
    with server(protocol, Recorder(hostile)) as url:
        engine = engine_for(tmp_path, protocol, url)
        pieces: list[str] = []
        result = engine.turn(engine.new_session("live"), MESSAGE, on_chunk=pieces.append)
    assert "\x1b" not in "".join(pieces) + result.reply and "Tell me more." in result.reply
