import json, sys, tempfile, pathlib, re
import assistant.engine as E
from tests.engine_helpers import offline_engine
from prompts.bank import load_phrases
talk = load_phrases().conversation
NC = [t[:40] for t in talk.not_covered] + [talk.not_covered_at[:40], "The guidance cards don't settle"] + [t[:40] for t in talk.nothing_found]
rows = [json.loads(l) for f in sys.argv[2:] for l in open(f)]
E.NEAR_MISS = float(sys.argv[1])
eng = offline_engine(pathlib.Path(tempfile.mkdtemp()))
gap = [0, 0]; ans = [0, 0]; cited_ok = 0; anywhere = [0]; kinds = {}
for r in rows:
    s = eng.new_session("live")
    res = eng.turn(s, r["query"])
    if res.verdict.action != "allow":
        continue
    first = res.reply.split("\n\n")[0]
    nc = any(p in first for p in NC)
    if not r["relevant"]:
        gap[0] += nc; gap[1] += 1
    else:
        ans[0] += nc; ans[1] += 1
        cited_ok += any(f"`{c}`" in first for c in r["relevant"])
        anywhere[0] += any(f"`{c}`" in res.reply for c in r["relevant"])
        kinds[s.turns[-2].understanding.kind if s.turns[-2].understanding else None] = kinds.get(s.turns[-2].understanding.kind if s.turns[-2].understanding else None, 0) + 1
print(f"NEAR_MISS={E.NEAR_MISS}: gap said not covered {gap[0]}/{gap[1]}; answerable called not covered {ans[0]}/{ans[1]}; answerable first paragraph cites a relevant card {cited_ok}/{ans[1]}; anywhere {anywhere[0]}/{ans[1]}; kinds {kinds}")
