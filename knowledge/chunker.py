"""Section-aware chunking: one chunk per heading section, split further if long.

Bump CHUNKER_VERSION whenever the output changes: the index rebuilds itself.
"""
from __future__ import annotations

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from knowledge.models import Card, Chunk

CHUNKER_VERSION = "2"  # 2: phrasing chunks
MAX_CHARS = 1400

_headers = MarkdownHeaderTextSplitter([("##", "h2"), ("###", "h3")], strip_headers=True)
_long = RecursiveCharacterTextSplitter(chunk_size=MAX_CHARS, chunk_overlap=150)


def chunk_card(card: Card) -> list[Chunk]:
    chunks: list[Chunk] = []
    for doc in _headers.split_text(card.body):
        path = [doc.metadata[k] for k in ("h2", "h3") if k in doc.metadata] or ["Overview"]
        pieces = [doc.page_content] if len(doc.page_content) <= MAX_CHARS else _long.split_text(doc.page_content)
        for piece in pieces:
            if not piece.strip():
                continue
            chunks.append(Chunk(
                chunk_id=f"{card.id}#{len(chunks)}",
                card_id=card.id,
                title=card.title,
                heading_path=path,
                lenses=list(card.lenses),
                text=piece.strip(),
                kind=card.kind,
            ))
    return chunks


def phrasing_chunks(card: Card) -> list[Chunk]:
    """One chunk per phrasing: a lay question is matched against each on its own,
    which is sharper than against them all run together."""
    return [
        Chunk(chunk_id=f"{card.id}#p{i}", card_id=card.id, title=card.title, heading_path=["Phrasing"],
              lenses=list(card.lenses), text=text, kind=card.kind, role="phrasing")
        for i, text in enumerate(card.phrasings)
    ]


def index_chunks(card: Card) -> list[Chunk]:
    """Everything of a card that is embedded and searched: its sections, then its phrasings."""
    return [*chunk_card(card), *phrasing_chunks(card)]


def embedding_text(chunk: Chunk) -> str:
    """What is embedded and indexed: a section in the context of its card; a phrasing as people wrote it."""
    if chunk.role == "phrasing":
        return chunk.text
    return f"{chunk.title}. {chunk.heading}.\n{chunk.text}"
