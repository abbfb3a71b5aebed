"""Inference threading is chosen, not left to the libraries: one thread keeps queries fast on a busy machine."""
from knowledge import embedder, threads


def test_default_is_one_thread_and_the_environment_can_override(monkeypatch):
    monkeypatch.delenv("REFLECT_THREADS", raising=False)
    assert threads.inference_threads() == 1
    monkeypatch.setenv("REFLECT_THREADS", "2")
    assert threads.inference_threads() == 2
    monkeypatch.setenv("REFLECT_THREADS", "lots")
    assert threads.inference_threads() == 1


def test_the_loaded_model_and_the_blas_pools_run_on_the_chosen_number_of_threads(monkeypatch):
    import torch
    from threadpoolctl import threadpool_info

    monkeypatch.delenv("REFLECT_THREADS", raising=False)
    embedder.get_embedder()
    assert torch.get_num_threads() == threads.inference_threads()
    assert all(pool["num_threads"] == threads.inference_threads()
               for pool in threadpool_info() if pool["user_api"] == "blas")
