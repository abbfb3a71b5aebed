"""Write each scripted conversation's replay as a plain transcript, for judges who score it whole.

    python evals/conversations/transcripts.py evals/conversations/blind OUT_DIR

One Markdown file per conversation (its mode and one-line description, then
every user turn and the assistant's reply), and nothing of the scripts'
expected answers, so a judge reads what a head would read. Whoever tunes the
responder does not open the transcripts of a blind set: only the judges do.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import load, replay  # noqa: E402  (a sibling script, not a package)


def transcript(conv: dict, results: list[dict]) -> str:
    lines = [f"# {conv['id']} ({conv['mode']})", "", conv.get("description", ""), ""]
    for number, (turn, result) in enumerate(zip(conv["turns"], results), 1):
        lines += [f"## Turn {number}", "", "**User:**", "", turn["text"], "", "**Assistant:**", "",
                  result["reply"], ""]
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    conversations = load(folder)
    results = iter(replay(conversations))
    out.mkdir(parents=True, exist_ok=True)
    for conv in conversations:
        replies = [next(results) for _ in conv["turns"]]
        (out / f"{conv['id']}.md").write_text(transcript(conv, replies), encoding="utf-8")
    print(f"wrote {len(conversations)} transcripts to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
