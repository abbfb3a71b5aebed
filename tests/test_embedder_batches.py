"""A few texts go straight through the model, each on its own (the transformer traced once): the vectors must be
the ones the library's own `encode` gives, or search and the guard would read text differently, and each text's
vector must be its own, whatever it is embedded with."""
import numpy as np

from knowledge.embedder import get_embedder


def test_small_batches_give_the_same_vectors_as_encode():
    e = get_embedder()
    texts = ["Nobody was hurt.", "A Year 9 girl told me her stepdad hits her and she's scared to go home at night "
             "because he drinks on Fridays and shouts at her mum.", "Should we suspend him?", "ok"]
    ours = e.embed(texts, batch_size=16)
    theirs = e._model.encode(texts, batch_size=16, normalize_embeddings=True, convert_to_numpy=True,
                             show_progress_bar=False)
    assert ours.shape == (4, e.dim)
    assert np.abs(ours - theirs).max() < 1e-5


def test_a_texts_vector_does_not_depend_on_its_company():
    e = get_embedder()
    texts = ["Nobody was hurt.", "Should we suspend him?", "He kicked the door and ran off.", "ok"]
    alone = np.stack([e.embed_each([t])[0] for t in texts])
    assert np.array_equal(e.embed(texts), alone)  # in one call, bit for bit
    assert np.array_equal(e.embed(texts[::-1])[::-1], alone)
    assert np.array_equal(e.embed_recent(texts[1:3]), alone[1:3])
