"""Reading YAML safely and fast: the one loader for the cards, the glossary and the policies.

PyYAML's pure-Python parser took 1.2 s for the question bank and about 20 ms per card on
a busy 2-core machine; libyaml's (CSafeLoader, in PyYAML's wheels) reads the same files
to equal results ten to a hundred times faster. Without libyaml the safe Python loader is used.
"""
from __future__ import annotations

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """Like `yaml.safe_load`, raising `yaml.YAMLError` the same way."""
    return yaml.load(text, Loader=SAFE_LOADER)
