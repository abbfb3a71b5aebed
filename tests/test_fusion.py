from knowledge.fusion import reciprocal_rank_fusion, standard_score_fusion


def test_one_strong_match_outweighs_an_item_that_is_merely_near_the_top_everywhere():
    names = ["strong", "steady", "broad"] + [f"other{i}" for i in range(7)]
    # "strong" is far ahead in one scorer and third in the others; "steady" is second in all three
    first = [10.0, 3.0] + [1.0] * 8
    second = [3.0, 3.5, 4.0] + [1.0] * 7
    third = list(second)
    fused = dict(zip(names, standard_score_fusion([first, second, third], [1.0, 1.0, 1.0])))
    assert fused["strong"] > fused["steady"]
    # rank fusion flattens the same evidence to ranks, and the steady item wins
    ranks = [sorted(names, key=lambda n: (-s[names.index(n)], names.index(n))) for s in (first, second, third)]
    rrf = reciprocal_rank_fusion(ranks)
    assert rrf["steady"] > rrf["strong"]


def test_a_scorer_that_cannot_tell_items_apart_changes_nothing():
    fused = standard_score_fusion([[3.0, 1.0, 2.0], [0.0, 0.0, 0.0]], [1.0, 5.0])
    assert sorted(range(3), key=lambda i: -fused[i]) == [0, 2, 1]
