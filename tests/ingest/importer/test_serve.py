"""The writer's conversation loop with the reader process (``service.serve``), with a scripted connection."""

import time

import pytest

from tremplin.ingest.decp_import.service import serve
from tremplin.ingest.decp_import.writer import ProducerError


class ScriptedConnection:
    """Hands out ``messages`` one by one, each after a short wait (so the writer sees itself waiting and sends
    share advice); ``send`` fails with a broken pipe once ``closed_after`` messages have been read."""

    def __init__(self, messages, closed_after=None):
        self.messages = list(messages)
        self.read = 0
        self.closed_after = closed_after
        self.sent = []
        self.ready = False

    def poll(self, timeout=0.0):
        if timeout is None:
            time.sleep(0.002)
            self.ready = True
        return self.ready

    def recv(self):
        self.ready = False
        if not self.messages:
            raise EOFError
        self.read += 1
        return self.messages.pop(0)

    def send(self, message):
        if self.closed_after is not None and self.read >= self.closed_after:
            raise BrokenPipeError(32, "Broken pipe")
        self.sent.append(message)


class RecordingWriter:
    def __init__(self):
        self.handled = []

    def handle(self, message):
        self.handled.append(message[0])
        return "answer" if message[0] == "file" else None


def batches(n):
    return [("batch", i) for i in range(n)]


def test_share_advice_is_sent_when_the_writer_waits():
    connection = ScriptedConnection([("file", "a"), *batches(8), ("done",)])
    writer = RecordingWriter()
    serve(connection, writer)
    assert connection.sent[0] == ("reply", "answer")
    assert [m[0] for m in connection.sent[1:]] == ["share", "share"]
    assert writer.handled == ["file"] + ["batch"] * 8


def test_reader_gone_after_its_last_batch_is_not_an_error():
    # The CI failure: the reader sent its last batches and "done", then exited before the share advice was
    # written. Every batch already sent must still be written, and the import ends normally.
    connection = ScriptedConnection([("file", "a"), *batches(8), ("done",)], closed_after=5)
    writer = RecordingWriter()
    serve(connection, writer)
    assert writer.handled == ["file"] + ["batch"] * 8
    assert connection.sent == [("reply", "answer")]


def test_reader_dying_without_done_is_an_error():
    connection = ScriptedConnection([("file", "a"), *batches(6)], closed_after=3)
    writer = RecordingWriter()
    with pytest.raises(ProducerError, match="sans prévenir"):
        serve(connection, writer)
    assert writer.handled == ["file"] + ["batch"] * 6


def test_reader_gone_while_waiting_for_an_answer_is_an_error():
    connection = ScriptedConnection([("file", "a"), ("done",)], closed_after=1)
    with pytest.raises(ProducerError, match="code 3"):
        serve(connection, RecordingWriter(), lambda: 3)
