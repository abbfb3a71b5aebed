"""Inference threading is chosen, not left to torch: one thread keeps queries fast on a busy machine."""
from knowledge import embedder


def test_default_is_one_thread_and_the_environment_can_override(monkeypatch):
    monkeypatch.delenv("REFLECT_EMBED_THREADS", raising=False)
    assert embedder.inference_threads() == 1
    monkeypatch.setenv("REFLECT_EMBED_THREADS", "2")
    assert embedder.inference_threads() == 2
    monkeypatch.setenv("REFLECT_EMBED_THREADS", "lots")
    assert embedder.inference_threads() == 1


def test_the_loaded_model_runs_on_the_chosen_number_of_threads(monkeypatch):
    import torch

    monkeypatch.delenv("REFLECT_EMBED_THREADS", raising=False)
    embedder.get_embedder()
    assert torch.get_num_threads() == embedder.inference_threads()
