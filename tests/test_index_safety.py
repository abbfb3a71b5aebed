"""The document index survives a killed ingest, forgets what is removed, and rebuilds itself when damaged."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
CANARY = "Zebediah Quillfeather"


def fake_embed(texts):
    """Stable unit vectors without the model: the index's bookkeeping is under test, not retrieval."""
    rows = []
    for text in texts:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
        vector = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
        rows.append(vector / np.linalg.norm(vector))
    return np.stack(rows)


@pytest.fixture
def data(tmp_path, monkeypatch):
    from knowledge import index

    monkeypatch.setenv("REFLECT_DATA_DIR", str(tmp_path / "data"))
    index._client.cache_clear()
    yield tmp_path / "data"
    index._client.cache_clear()


def test_an_ingest_killed_mid_write_is_hidden_detected_and_redone(tmp_path, data, monkeypatch):
    from knowledge import documents

    big = tmp_path / "log.txt"
    big.write_text("\n\n".join(f"Entry {n}. " + "The pupil was calm in the morning and upset after lunch. " * 14
                               for n in range(1100)))
    script = textwrap.dedent(f"""
        import os, signal
        import chromadb.api.models.Collection as C
        import knowledge.documents as documents
        from test_index_safety import fake_embed
        documents._embed = fake_embed
        real = C.Collection.upsert
        calls = []
        def upsert(self, *args, **kwargs):
            if calls:
                os.kill(os.getpid(), signal.SIGKILL)  # kill -9 between two batches of one file
            calls.append(1)
            return real(self, *args, **kwargs)
        C.Collection.upsert = upsert
        documents.ingest([{str(big)!r}])
    """)
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}", "REFLECT_DATA_DIR": str(data)}
    killed = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert killed.returncode == -9, killed.stderr

    monkeypatch.setattr(documents, "_embed", fake_embed)
    [held] = documents.list_documents()
    assert not held.complete and held.chunks == 0  # detected, and none of it is shown
    assert documents.search_documents("pupil calm in the morning") == []
    [again] = documents.ingest([big])
    assert again.status == "updated" and again.chunks > 1000  # redone, not "unchanged"
    [held] = documents.list_documents()
    assert held.complete and held.chunks == again.chunks
    assert documents.search_documents("pupil calm in the morning")


def test_a_removed_document_leaves_no_trace_in_the_index_files(tmp_path, data, monkeypatch):
    from knowledge import documents

    monkeypatch.setattr(documents, "_embed", fake_embed)
    note = tmp_path / "disclosure.txt"
    note.write_text(f"{CANARY}, born 14/02/2013, told her teacher about home. Mum's phone 07700 900456.\n\n"
                    + "A further paragraph about the plan and the support around it. " * 30)
    keep = tmp_path / "policy.txt"
    keep.write_text("Our behaviour policy puts relationships first and reviews every removal.\n\n"
                    + "Attendance is followed up with families by the pastoral team each week. " * 14 + "\n\n"
                    + "Governors see the suspension figures by group every term. " * 16)
    documents.ingest([note, keep])
    documents.remove_document("disclosure.txt")
    index_files = [p for p in (data / "index").rglob("*") if p.is_file()]
    assert index_files
    for path in index_files:
        assert CANARY.encode() not in path.read_bytes(), path  # not in the log, free pages or vectors' folder
    assert [d.name for d in documents.list_documents()] == ["policy.txt"]
    assert documents.search_documents("relationships first")


def test_a_damaged_index_is_rebuilt_with_a_message(tmp_path, data, shared_data_dir, capsys, monkeypatch):
    from assistant.cli import main
    from knowledge import index

    monkeypatch.setenv("REFLECT_DATA_DIR", str(shared_data_dir))
    index.ensure_index()  # the run's shared index (built once), copied so that the copy can be damaged
    monkeypatch.setenv("REFLECT_DATA_DIR", str(data))
    index._client.cache_clear()
    shutil.copytree(shared_data_dir / "index", data / "index")
    store = data / "index" / "chroma.sqlite3"
    with open(store, "r+b") as handle:
        handle.truncate(store.stat().st_size // 3)
    status = index.ensure_index()
    assert status.notice and "rebuilt" in status.notice and status.cards > 0
    from knowledge.documents import list_documents

    assert list_documents() == []  # derived data: the documents must be ingested again, as the notice says
    with open(store, "r+b") as handle:
        handle.truncate(store.stat().st_size // 3)
    index._client.cache_clear()
    assert main(["index", "--rebuild"]) == 0
    assert "damaged" in capsys.readouterr().err


def test_only_regular_files_are_read_and_a_slow_file_is_stopped(tmp_path, monkeypatch):
    from knowledge import bounded_extract
    from knowledge.documents import ingest
    from knowledge.errors import ReflectError

    fifo = tmp_path / "notes.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReflectError, match="notes.txt: is not a regular file"):
        ingest([fifo])  # refused at once, never opened (a FIFO would wait forever)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    with pytest.raises(ReflectError, match="zero.txt: is not a regular file"):
        ingest([zero])
    text = tmp_path / "fine.txt"
    text.write_text("A short note about a pupil's day.\n")
    assert bounded_extract.extract_bounded(text).blocks  # a normal file is read in the child process
    monkeypatch.setattr(bounded_extract, "EXTRACT_SECONDS", 0.0)
    with pytest.raises(ReflectError, match="fine.txt: reading it took too long"):
        bounded_extract.extract_bounded(text)


def test_a_reader_past_its_memory_cap_is_stopped_with_a_message(tmp_path, monkeypatch):
    from knowledge import bounded_extract
    from knowledge.errors import ReflectError

    text = tmp_path / "log.txt"
    text.write_text("The pupil arrived late and went to the base room.\n" * 20_000)
    monkeypatch.setattr(bounded_extract, "EXTRACT_MEMORY_BYTES", 48 * 1024**2)  # far below what parsing needs
    with pytest.raises(ReflectError, match="log.txt: .*memory"):
        bounded_extract.extract_bounded(text)


def test_a_file_name_with_escape_codes_is_shown_clean(tmp_path, data, monkeypatch, capsys):
    from assistant.cli import main
    from knowledge import documents

    monkeypatch.setattr(documents, "_embed", fake_embed)
    hostile = tmp_path / "notes\x1b]52;c;ZXZpbA==\x07\x1b[2J.txt"
    hostile.write_text("Notes from the review meeting about the reduced timetable and the plan.\n")
    assert main(["ingest", str(hostile)]) == 0
    assert main(["docs"]) == 0
    shown = capsys.readouterr()
    assert "\x1b" not in shown.out + shown.err and "notes" in shown.out
