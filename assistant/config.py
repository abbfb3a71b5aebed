"""Settings: a TOML file in the user's config directory, overridden by
environment variables (REFLECT_*). Every field is documented here, and
`reflect config` prints the effective values with secrets masked.
"""
from __future__ import annotations

import os
from ipaddress import ip_address
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from knowledge.errors import ReflectError
from knowledge.storage import APP_NAME


def config_path() -> Path:
    override = os.environ.get("REFLECT_CONFIG_FILE")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REFLECT_", extra="ignore")

    provider: Literal["none", "ollama", "openai"] = Field(
        "none",
        description="Language model provider. 'none' (the default) runs fully offline with the built-in "
        "responder; 'ollama' uses a local Ollama server; 'openai' any OpenAI-compatible endpoint "
        "(OpenAI, Azure, LM Studio, vLLM, a llama.cpp server).",
    )
    model: str = Field("", description="Model name at the provider, e.g. 'llama3.1:8b' or 'gpt-4o-mini'.")
    base_url: str | None = Field(
        None, description="Endpoint URL. Ollama defaults to http://localhost:11434; for 'openai' leave empty "
        "for api.openai.com or give your server's /v1 URL."
    )
    api_key: SecretStr | None = Field(None, description="API key for the 'openai' provider (never printed).")
    timeout_seconds: float = Field(
        60.0, gt=0, description="How long to wait for the model before falling back to the offline responder."
    )
    redact: Literal["auto", "always"] = Field(
        "auto",
        description="'auto' redacts names and identifiers before text goes to a model that is not on this "
        "machine (any host other than localhost); 'always' redacts for local models too.",
    )
    chroma_url: str | None = Field(
        None, description="Keep the search index on a chromadb server at this URL instead of locally."
    )
    reflective_model: Literal["gibbs", "rolfe"] = Field(
        "gibbs", description="Reflective model for practice mode: Gibbs' six stages, or Rolfe's short cycle."
    )
    default_mode: Literal["live", "practice", "prep"] = Field("live", description="Mode for a new session.")

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_path()))

    @property
    def model_is_remote(self) -> bool:
        """True when text would leave this machine: redaction then applies."""
        if self.provider == "none":
            return False
        if self.provider == "openai" and not self.base_url:
            return True
        host = urlparse(self.base_url or "http://localhost").hostname or ""
        if host == "localhost":
            return False
        try:
            return not ip_address(host).is_loopback
        except ValueError:
            return True

    @property
    def must_redact(self) -> bool:
        return self.provider != "none" and (self.redact == "always" or self.model_is_remote)


def load_settings() -> Settings:
    """Read the config; a broken file is a clear error naming the file, not a traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ReflectError(f"{config_path()}: setting '{field}': {first['msg']}") from None
    except (ValueError, OSError) as exc:  # TOML syntax errors arrive as ValueError
        raise ReflectError(f"{config_path()}: cannot read the config file: {exc}") from None


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """(name, effective value with secrets masked, documentation) for each field."""
    rows = []
    for name, info in Settings.model_fields.items():
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            shown = "********" if value.get_secret_value() else "(empty)"
        else:
            shown = "(not set)" if value in (None, "") else str(value)
        rows.append((name, shown, info.description or ""))
    return rows
