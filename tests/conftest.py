"""Every test runs against a private data directory and no user config, offline."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

for key in [k for k in os.environ if k.startswith("REFLECT_")]:
    del os.environ[key]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session", autouse=True)
def shared_data_dir(tmp_path_factory):
    """One data directory for the run, so the card index is built once."""
    path = tmp_path_factory.mktemp("reflect-data")
    os.environ["REFLECT_DATA_DIR"] = str(path)
    os.environ["REFLECT_CONFIG_FILE"] = str(path / "no-config.toml")
    yield path


@pytest.fixture(autouse=True)
def own_user_data(tmp_path_factory, monkeypatch):
    """Each test its own sessions database, app state file and export folder; only the derived
    index and the guard's files stay shared (built once per run, and no test's data)."""
    folder = tmp_path_factory.mktemp("user-data")
    shared = os.environ.get("REFLECT_DATA_DIR")

    def sessions_path():
        # a test that points REFLECT_DATA_DIR elsewhere gets its sessions there, as a user would
        current = os.environ.get("REFLECT_DATA_DIR")
        return folder / "sessions.sqlite3" if current == shared else Path(current) / "sessions.sqlite3"

    monkeypatch.setattr("assistant.store.default_path", sessions_path)
    monkeypatch.setattr("assistant.app.state.state_path", lambda: folder / "state.json")
    monkeypatch.setenv("REFLECT_EXPORT_DIR", str(folder / "exports"))
    return folder


@pytest.fixture(scope="session")
def prepared(shared_data_dir):
    """The search index built and the model and guard loaded, once per run, as `make install` does.

    Tests that open the app start from here, so their waits are for the app, not for a first build."""
    from assistant.prepare import prepare

    prepare()
    return shared_data_dir


@pytest.fixture
def private_data_dir(tmp_path, monkeypatch):
    """A fresh data directory for tests that change the index or sessions."""
    from knowledge import index

    monkeypatch.setenv("REFLECT_DATA_DIR", str(tmp_path))
    yield tmp_path
    index._client.cache_clear()


@pytest.fixture(scope="module")
def guard():
    """The shared guard (the shipped heads), for tests that judge messages; a module may define its own."""
    from guardrails import get_guard

    return get_guard()
