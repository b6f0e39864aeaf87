"""The optional model over the OpenAI chat contract, against a real local test server: streamed and not,
grounded and cited, and a clean fall back to the retrieval tutor when the model is slow, broken or absent."""

from __future__ import annotations

import pytest

from certprep.tutor import LLMClient, LLMConfig, LLMError, Prepared, Tutor
from tests.conftest import free_port
from tests.tutor.llm_server import ANSWER_PIECES, FakeLLM

QUERY = "cross-account CodePipeline deploy needs which KMS key?"


def _tutor(retrieval: Tutor, url: str, timeout: float = 5.0) -> Tutor:
    """The session's DOP-C02 tutor with a model configured: its index, matcher and vocabulary are reused (building
    them takes most of a second), the model client is new."""
    config = LLMConfig(url=url, model="tiny-model", api_key="secret-key", timeout=timeout)
    parts = Prepared(retrieval.index, retrieval.finder, retrieval.speller, retrieval.facts)
    return Tutor(retrieval.pack, llm=config, prepared=parts)


def test_configuration_comes_from_the_environment() -> None:
    assert LLMConfig.from_env({}) is None
    config = LLMConfig.from_env(
        {"CERTPREP_LLM_URL": "http://127.0.0.1:11434/v1/", "CERTPREP_LLM_MODEL": "llama3", "CERTPREP_LLM_API_KEY": "k"}
    )
    assert config is not None
    assert (config.endpoint, config.model, config.api_key) == (
        "http://127.0.0.1:11434/v1/chat/completions",
        "llama3",
        "k",
    )
    full = LLMConfig(url="http://host/v1/chat/completions", model="m")
    assert full.endpoint == "http://host/v1/chat/completions"


def test_a_whole_answer_from_the_model_is_grounded_in_the_passages(tutor: Tutor, fake_llm: FakeLLM) -> None:
    answer = _tutor(tutor, fake_llm.url).answer(QUERY)
    assert answer.source == "llm"
    assert answer.note == ""
    assert answer.text == "".join(ANSWER_PIECES)
    assert answer.hits  # the passages the model was given are returned with its answer
    request = fake_llm.requests[-1]
    assert request["model"] == "tiny-model"
    assert request["stream"] is False
    system, user = request["messages"]
    assert "Cite every claim" in system["content"]
    assert "DOP-C02" in system["content"]
    assert f"[1] {answer.hits[0].passage.title}" in user["content"]
    assert answer.hits[0].passage.text in user["content"]
    assert QUERY in user["content"]
    assert fake_llm.headers[-1]["Authorization"] == "Bearer secret-key"


def test_a_streamed_answer_arrives_in_pieces(tutor: Tutor, fake_llm: FakeLLM) -> None:
    events = list(_tutor(tutor, fake_llm.url).stream(QUERY))
    assert events[0]["event"] == "start"
    assert events[0]["source"] == "llm"
    assert events[0]["passages"]
    deltas = [event["text"] for event in events if event["event"] == "delta"]
    assert deltas == ANSWER_PIECES
    assert events[-1] == {"event": "end", "source": "llm", "note": "", "refused": False}
    assert fake_llm.requests[-1]["stream"] is True


def test_an_uncited_model_answer_gets_its_sources_listed(tutor: Tutor, fake_llm: FakeLLM) -> None:
    fake_llm.behaviour = "uncited"
    answer = _tutor(tutor, fake_llm.url).answer(QUERY)
    assert answer.source == "llm"
    assert answer.text.endswith("Sources: " + ", ".join(f"[{n}]" for n in range(1, len(answer.hits) + 1)))


@pytest.mark.parametrize("behaviour", ["error", "garbage", "slow"])
def test_a_failing_model_falls_back_to_the_retrieval_answer(tutor: Tutor, fake_llm: FakeLLM, behaviour: str) -> None:
    fake_llm.behaviour = behaviour
    offline = tutor.answer(QUERY)  # the session's tutor has no model
    answer = _tutor(tutor, fake_llm.url, timeout=0.5).answer(QUERY)
    assert answer.source == "retrieval"
    assert answer.text == offline.text
    assert [h.passage.id for h in answer.hits] == [h.passage.id for h in offline.hits]
    assert answer.note.startswith("The model was not used:")
    expected = {"error": "HTTP 500", "garbage": "not return an OpenAI-style", "slow": "within 0.5 s"}[behaviour]
    assert expected in answer.note


@pytest.mark.parametrize("behaviour", ["error", "garbage", "slow", "break"])
def test_a_failing_stream_is_replaced_by_the_retrieval_answer(tutor: Tutor, fake_llm: FakeLLM, behaviour: str) -> None:
    fake_llm.behaviour = behaviour
    events = list(_tutor(tutor, fake_llm.url, timeout=0.5).stream(QUERY))
    reset = [index for index, event in enumerate(events) if event["event"] == "reset"]
    assert len(reset) == 1
    after = "".join(event["text"] for event in events[reset[0] :] if event["event"] == "delta")
    assert after == tutor.answer(QUERY).text  # the session's tutor has no model
    assert events[-1]["event"] == "end"
    assert events[-1]["source"] == "retrieval"
    assert events[-1]["note"].startswith("The model was not used:")


def test_an_unreachable_model_falls_back() -> None:
    client = LLMClient(LLMConfig(url=f"http://127.0.0.1:{free_port()}/v1", model="m", timeout=2))
    with pytest.raises(LLMError, match="cannot reach the model"):
        client.complete([{"role": "user", "content": "hi"}])
    with pytest.raises(LLMError, match="cannot reach the model"):
        list(client.stream([{"role": "user", "content": "hi"}]))


def test_the_model_is_not_asked_when_the_tutor_refuses_or_found_nothing(tutor: Tutor, fake_llm: FakeLLM) -> None:
    from certprep.tutor import TutorContext

    with_model = _tutor(tutor, fake_llm.url)
    context = TutorContext(blocked=frozenset({"d1-pipeline-cross-account-artifact-key"}))
    assert with_model.answer("explain question d1-pipeline-cross-account-artifact-key", context).refused
    assert with_model.answer("qwertyuiop zxcvbnm").source == "retrieval"
    assert fake_llm.requests == []
