"""A few texts go straight through the model (grouped by length, the transformer traced once): the vectors
must be the ones the library's own `encode` gives, or search and the guard would read text differently."""
import numpy as np

from knowledge.embedder import get_embedder, length_groups


def test_grouping_keeps_a_long_sentence_from_padding_the_short_ones():
    assert length_groups([60, 5, 6, 7]) == [[1, 2, 3], [0]]
    assert length_groups([10, 12, 11]) == [[0, 2, 1]]  # similar lengths: one batch
    assert sorted(i for g in length_groups([3, 90, 4, 50, 8]) for i in g) == [0, 1, 2, 3, 4]
    assert length_groups([]) == []


def test_small_batches_give_the_same_vectors_as_encode():
    e = get_embedder()
    texts = ["Nobody was hurt.", "A Year 9 girl told me her stepdad hits her and she's scared to go home at night "
             "because he drinks on Fridays and shouts at her mum.", "Should we suspend him?", "ok"]
    ours = e.embed(texts, batch_size=16)
    theirs = e._model.encode(texts, batch_size=16, normalize_embeddings=True, convert_to_numpy=True,
                             show_progress_bar=False)
    assert ours.shape == (4, e.dim)
    assert np.abs(ours - theirs).max() < 1e-5
    assert np.abs(e.embed(texts[:1]) - ours[:1]).max() < 1e-5  # alone or in company, the same vector
