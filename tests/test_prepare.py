"""`reflect prepare` (run by `make install`): builds what the first start needs; safe to run again."""
from __future__ import annotations

from assistant import cli


def test_prepare_builds_the_index_and_can_run_again(private_data_dir, capsys):
    from assistant.answers import _index, sentences_cached
    from knowledge.index import needs_build

    _index.cache_clear()  # a process's sentence index is built once; this test starts it afresh in its folder
    assert needs_build() and not sentences_cached()  # a fresh data folder
    assert cli.main(["prepare"]) == 0
    assert not needs_build()
    assert sentences_cached()  # the first start loads the card sentences' vectors, it does not embed them
    for written in private_data_dir.glob("answer-*.npy"):
        assert written.stat().st_mode & 0o077 == 0  # the owner's alone, like everything in the data folder
    for folder in (p for p in private_data_dir.rglob("*") if p.is_dir() and p.parent == private_data_dir):
        assert folder.stat().st_mode & 0o077 == 0, folder  # the index and the caches are the owner's alone
    assert "ready for the first start" in capsys.readouterr().out
    assert cli.main(["prepare"]) == 0  # again: nothing to build, still ready
    out = capsys.readouterr().out
    assert "ready for the first start" in out and "index" not in out.split("(", 1)[1]  # no rebuild
