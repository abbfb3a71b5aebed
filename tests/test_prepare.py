"""`reflect prepare` (run by `make install`): builds what the first start needs; safe to run again."""
from __future__ import annotations

from assistant import cli


def test_prepare_builds_the_index_and_can_run_again(private_data_dir, capsys):
    from knowledge.index import needs_build

    assert needs_build()  # a fresh data folder
    assert cli.main(["prepare"]) == 0
    assert not needs_build()
    assert "ready for the first start" in capsys.readouterr().out
    assert cli.main(["prepare"]) == 0  # again: nothing to build, still ready
    out = capsys.readouterr().out
    assert "ready for the first start" in out and "index" not in out.split("(", 1)[1]  # no rebuild
