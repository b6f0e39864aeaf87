"""Dashboard charts label their bars with whole words, never a word cut in half ("Configuration Managemen")."""

from __future__ import annotations

from certprep.web.charts import MasteryBar, mastery_bars, shorten_label
from tests.conftest import dop_pack


def test_every_domain_label_is_whole_words() -> None:
    labels = [f"{d.id}. {d.name}" for d in dop_pack().blueprint.domains]
    shown = [shorten_label(label) for label in labels]
    for label, short in zip(labels, shown, strict=True):
        kept = short.removesuffix("…").split()
        assert kept == label.split()[: len(kept)], (label, short)  # a prefix of the words, none cut
    assert "2. Configuration Management…" in shown
    assert "5. Incident and Event Response" in shown  # the others fit whole


def test_the_chart_shows_the_shortened_labels() -> None:
    svg = str(mastery_bars([MasteryBar("2. Configuration Management and IaC", 0.5, 0.4, 0.6, "developing")]))
    assert ">2. Configuration Management…</text>" in svg
    assert "Managemen<" not in svg
