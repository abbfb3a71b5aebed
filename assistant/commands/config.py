"""`reflect config`: where things live and the effective settings."""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from assistant.config import config_path, describe, load_settings
    from knowledge.index import index_location
    from knowledge.storage import data_dir

    settings = load_settings()
    path = config_path()
    print(f"config file   {path}{'' if path.exists() else '  (not created; defaults in use)'}")
    print(f"data folder   {data_dir()}")
    print(f"search index  {index_location()}")
    print(f"sessions      {data_dir() / 'sessions.sqlite3'}")
    print()
    for name, value, doc in describe(settings):
        print(f"{name:<17} {value}")
        print(f"{'':<17} {doc}")
    print()
    print("Environment variables override the file: REFLECT_PROVIDER, REFLECT_MODEL, REFLECT_BASE_URL, ...")
    return 0
