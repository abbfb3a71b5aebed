"""Config: TOML file, environment overrides, secrets masked, broken files explained."""
from __future__ import annotations

import pytest

from assistant.cli import main
from assistant.config import load_settings
from knowledge.errors import ReflectError


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("REFLECT_CONFIG_FILE", str(path))
    return path


def test_file_values_are_read_and_environment_overrides_them(config_file, monkeypatch):
    config_file.write_text('provider = "ollama"\nmodel = "llama3.1:8b"\ntimeout_seconds = 30\n')
    settings = load_settings()
    assert (settings.provider, settings.model, settings.timeout_seconds) == ("ollama", "llama3.1:8b", 30)
    assert not settings.must_redact  # localhost: text stays on this machine
    monkeypatch.setenv("REFLECT_MODEL", "qwen2.5:14b")
    assert load_settings().model == "qwen2.5:14b"


def test_a_remote_endpoint_turns_redaction_on(config_file):
    config_file.write_text('provider = "openai"\nmodel = "gpt-4o-mini"\napi_key = "sk-secret-value"\n')
    assert load_settings().must_redact
    config_file.write_text('provider = "openai"\nbase_url = "http://127.0.0.1:1234/v1"\n')
    assert not load_settings().must_redact


def test_reflect_config_prints_paths_and_masks_secrets(config_file, capsys):
    config_file.write_text('provider = "openai"\napi_key = "sk-secret-value"\n')
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert str(config_file) in out and "sessions.sqlite3" in out
    assert "sk-secret-value" not in out and "********" in out


@pytest.mark.parametrize("content, needle", [
    ('provider = "skynet"\n', "provider"),
    ("provider = \n", "cannot read"),
    ("timeout_seconds = -4\n", "timeout_seconds"),
])
def test_a_broken_config_file_is_a_clear_error(config_file, content, needle, capsys):
    config_file.write_text(content)
    with pytest.raises(ReflectError, match=needle):
        load_settings()
    assert main(["config"]) == 2
    assert str(config_file) in capsys.readouterr().err
