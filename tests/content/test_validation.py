"""`pack validate` must reject each kind of broken pack with the right message at the right file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from certprep.content import load_pack, pack_stats, read_pack
from certprep.content.loader import PackError

FILES_YAML = "questions/d1/files.yaml"
PROCESSES_YAML = "questions/d2/processes.yaml"
EXPLAINERS_YAML = "explainers/d1.yaml"


@dataclass(frozen=True)
class Breakage:
    name: str
    file: str
    old: str
    new: str
    message: str
    # The text whose line the problem must point at (in the broken file); None: line not checked.
    line_of: str | None = None


def _options_d_block() -> str:
    return """    - id: D
      text: ls -1
      correct: false
      why: One name per line, hidden files still omitted.
"""


BREAKAGES = [
    Breakage(
        "single with three options",
        FILES_YAML,
        _options_d_block(),
        "",
        "single-answer question needs exactly 4 options, has 3",
        "  options:\n    - id: A\n      text: ls -a",
    ),
    Breakage(
        "single with two keys",
        FILES_YAML,
        "text: ls -l\n      correct: false",
        "text: ls -l\n      correct: true",
        "needs exactly 1 correct option, has 2",
        "  options:\n    - id: A\n      text: ls -a",
    ),
    Breakage(
        "multiple without the count",
        FILES_YAML,
        "Which two commands do that? (Choose TWO.)",
        "Which two commands do that?",
        'the stem must say "(Choose TWO.)"',
        "  stem: |\n    A user edited",
    ),
    Breakage(
        "multiple with wrong select",
        PROCESSES_YAML,
        "text: kill -l\n      correct: false",
        "text: kill -l\n      correct: true",
        "select is 2 but 3 options are marked correct",
    ),
    Breakage(
        "multiple with four options",
        PROCESSES_YAML,
        """    - id: E
      text: vi /etc/passwd
      correct: false
      why: Opens a file unrelated to CPU use.
""",
        "",
        "multiple-response question needs at least 5 options, has 4",
    ),
    Breakage(
        "option without why",
        FILES_YAML,
        "      why: That goes up one level only.\n",
        "",
        "options.1.why: Field required",
        "    - id: B\n      text: cd ..",
    ),
    Breakage(
        "unknown task",
        FILES_YAML,
        'task: "1.2"\n  services: [vi]\n  difficulty: 3',
        'task: "1.9"\n  services: [vi]\n  difficulty: 3',
        "task 1.9 is not in the blueprint",
        'task: "1.9"',
    ),
    Breakage(
        "task of another domain",
        FILES_YAML,
        'task: "1.1"\n  services: [cd]',
        'task: "2.1"\n  services: [cd]',
        "task 2.1 belongs to domain 2, not 1",
        'task: "2.1"',
    ),
    Breakage(
        "domain does not match folder",
        PROCESSES_YAML,
        'domain: 2\n  task: "2.1"\n  services: [kill]',
        'domain: 1\n  task: "2.1"\n  services: [kill]',
        "domain is 1 but the file is for domain 2",
        "domain: 1",
    ),
    Breakage(
        "duplicate id",
        PROCESSES_YAML,
        "id: tiny-kill-graceful",
        "id: tiny-list-hidden",
        "id 'tiny-list-hidden' is already used at questions/d1/files.yaml:1",
        "- id: tiny-list-hidden",
    ),
    Breakage(
        "plain http reference",
        FILES_YAML,
        "references: [https://docs.example.org/cd]",
        "references: [http://docs.example.org/cd]",
        "must be an https URL on docs.example.org",
        "references: [http://",
    ),
    Breakage(
        "reference on another site",
        FILES_YAML,
        "references: [https://docs.example.org/cd]",
        "references: [https://example.com/dumps/cd]",
        "must be an https URL on docs.example.org",
    ),
    Breakage(
        "unknown field",
        FILES_YAML,
        "  tags: [listing]\n",
        "  tags: [listing]\n  answer: A\n",
        "answer: unknown field",
        "  answer: A",
    ),
    Breakage(
        "difficulty out of range",
        FILES_YAML,
        "difficulty: 4",
        "difficulty: 9",
        "difficulty: Input should be less than or equal to 5",
        "difficulty: 9",
    ),
    Breakage(
        "bad type",
        FILES_YAML,
        'type: single\n  select: 1\n  domain: 1\n  task: "1.1"\n  services: [cd]',
        'type: choice\n  select: 1\n  domain: 1\n  task: "1.1"\n  services: [cd]',
        "type: Input should be 'single' or 'multiple'",
        "type: choice",
    ),
    Breakage(
        "unknown service",
        FILES_YAML,
        "services: [vi]\n  difficulty: 4",
        "services: [emacs]\n  difficulty: 4",
        "service 'emacs' is not in the blueprint",
        "services: [emacs]",
    ),
    Breakage("invalid YAML", PROCESSES_YAML, "  difficulty: 3\n", "  difficulty: [3\n", "invalid YAML"),
    Breakage(
        "not a list",
        "flashcards/d2.yaml",
        "- id: tiny-fc-sigterm\n",
        "cards:\n- id: tiny-fc-sigterm\n",
        "a flashcard file must be a YAML list",
    ),
    Breakage(
        "flashcard in the wrong file",
        "flashcards/d2.yaml",
        "  domain: 2\n",
        "  domain: 1\n",
        "domain is 1 but the file is for domain 2",
        "  domain: 1",
    ),
    Breakage(
        "notes without a section",
        "notes/d1.md",
        "## Key exam patterns\n- **Hidden files**: a name that starts with a dot needs `-a`.\n",
        "",
        "missing section '## Key exam patterns'",
    ),
    Breakage(
        "notes without front matter",
        "notes/d2.md",
        "---\ndomain: 2\ntitle: Processes\n---\n",
        "",
        "notes must start with YAML front matter",
    ),
    Breakage(
        "weights not adding up", "blueprint.yaml", "weight: 40", "weight: 30", "domain weights add up to 90, not 100"
    ),
    Breakage(
        "duplicate key",
        FILES_YAML,
        "  status: pretest\n",
        "  status: pretest\n  status: retired\n",
        "duplicate key 'status'",
        "  status: retired",
    ),
    Breakage(
        "comparison without choose rows",
        EXPLAINERS_YAML,
        """  choose:
    - option: ls -a
      when: you only need the names, hidden ones included
    - option: ls -la
      when: you also need permissions, owners or sizes
""",
        "",
        "a compare explainer needs 2 to 5 choose rows",
    ),
    Breakage(
        "choose rows on a troubleshooting explainer",
        EXPLAINERS_YAML,
        "  distractor: >-\n    Closing the terminal",
        "  choose:\n    - option: ':x'\n      when: always\n  distractor: >-\n    Closing the terminal",
        "choose rows belong to compare and choose explainers only",
        "  choose:\n    - option: ':x'",
    ),
    Breakage(
        "explainer asked one way only",
        EXPLAINERS_YAML,
        "    - what is the difference between ls -a and ls -la\n",
        "",
        "needs 2 to 5 ways a learner asks it, has 1",
        "  asks:\n    - ls -a vs ls -la?",
    ),
    Breakage(
        "explainer with a list in its text",
        EXPLAINERS_YAML,
        "  reasoning: >-\n    The -a flag",
        "  reasoning: |-\n    - The -a flag",
        "reasoning must be plain sentences",
        "  reasoning: |-",
    ),
    Breakage(
        "explainer too long to read in a minute",
        EXPLAINERS_YAML,
        "so the two combine.",
        "so the two combine." + " More words." * 100,
        "words; an explainer reads in a minute (at most 200)",
        "- id: tiny-ex-ls-a-vs-ls-la",
    ),
    Breakage(
        "explainer without distractor",
        EXPLAINERS_YAML,
        """  distractor: >-
    Closing the terminal ends vi but leaves a swap file and loses the change, which fails the need to keep the edit.
""",
        "",
        "distractor is missing",
        "- id: tiny-ex-vi-quit-fails",
    ),
    Breakage(
        "explainer of an unknown kind",
        EXPLAINERS_YAML,
        "kind: troubleshoot",
        "kind: howto",
        "kind: Input should be 'compare', 'why', 'troubleshoot', 'choose' or 'fact'",
        "kind: howto",
    ),
    Breakage(
        "explainer reference on another site",
        EXPLAINERS_YAML,
        "references: [https://docs.example.org/vi]",
        "references: [https://example.com/vi]",
        "must be an https URL on docs.example.org",
    ),
    Breakage(
        "explainer task of another domain",
        EXPLAINERS_YAML,
        'task: "1.2"\n  kind: troubleshoot',
        'task: "2.1"\n  kind: troubleshoot',
        "task 2.1 belongs to domain 2, not 1",
        'task: "2.1"',
    ),
    Breakage(
        "explainer id used by a question",
        EXPLAINERS_YAML,
        "id: tiny-ex-vi-quit-fails",
        "id: tiny-list-hidden",
        "id 'tiny-list-hidden' is already used at questions/d1/files.yaml:1",
        "- id: tiny-list-hidden",
    ),
]


def _break(pack: Path, breakage: Breakage) -> Path:
    target = pack / breakage.file
    original = target.read_text()
    assert breakage.old in original, f"fixture text for {breakage.name!r} not found"
    target.write_text(original.replace(breakage.old, breakage.new, 1))
    return target


def _line(path: Path, needle: str) -> int:
    text = path.read_text()
    index = text.index(needle)
    return text[:index].count("\n") + 1 + needle[: len(needle) - len(needle.lstrip("\n"))].count("\n")


def test_the_tiny_pack_is_valid(tiny_pack: Path) -> None:
    report = read_pack(tiny_pack)
    assert report.problems == []
    assert report.ok


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.name for b in BREAKAGES])
def test_each_broken_pack_is_rejected_with_file_line_and_message(tiny_pack: Path, breakage: Breakage) -> None:
    broken_file = _break(tiny_pack, breakage)
    report = read_pack(tiny_pack)
    assert not report.ok
    matching = [p for p in report.errors if breakage.message in p.message and p.file == breakage.file]
    assert matching, f"expected {breakage.message!r} in {breakage.file}, got:\n" + "\n".join(map(str, report.problems))
    if breakage.line_of is not None:
        assert matching[0].line == _line(broken_file, breakage.line_of), str(matching[0])
    with pytest.raises(PackError):
        load_pack(tiny_pack)


def test_every_problem_is_listed_not_only_the_first(tiny_pack: Path) -> None:
    for breakage in (BREAKAGES[0], BREAKAGES[3], BREAKAGES[19]):
        _break(tiny_pack, breakage)
    messages = [str(problem) for problem in read_pack(tiny_pack).errors]
    assert any("has 3" in m for m in messages)
    assert any("3 options are marked correct" in m for m in messages)
    assert any("Key exam patterns" in m for m in messages)


def test_near_duplicate_stems_are_flagged(tiny_pack: Path) -> None:
    path = tiny_pack / FILES_YAML
    text = path.read_text()
    first_question = text.split("- id: tiny-change-home")[0]
    copy = first_question.replace("id: tiny-list-hidden", "id: tiny-list-hidden-again").replace(
        "Which command does that?", "Which command does it?"
    )
    path.write_text(text + copy)
    problems = [p for p in read_pack(tiny_pack).errors if "near-duplicate" in p.message]
    assert len(problems) == 1
    assert "tiny-list-hidden-again" in problems[0].message
    assert "'tiny-list-hidden' at questions/d1/files.yaml:1" in problems[0].message


def test_unexpected_files_are_reported(tiny_pack: Path) -> None:
    (tiny_pack / "questions" / "d1" / "readme.txt").write_text("notes")
    (tiny_pack / "questions" / "extra").mkdir()
    messages = [str(p) for p in read_pack(tiny_pack).errors]
    assert "questions/d1/readme.txt:1: unexpected file: question files end in .yaml" in messages
    assert any(m.startswith("questions/extra:1: unexpected folder") for m in messages)


def test_missing_blueprint_is_an_error(tiny_pack: Path) -> None:
    (tiny_pack / "blueprint.yaml").unlink()
    report = read_pack(tiny_pack)
    assert report.pack is None
    assert [str(p) for p in report.errors] == ["blueprint.yaml:1: blueprint.yaml is missing"]


def test_a_question_changed_after_its_documentation_check_is_flagged(tiny_pack: Path) -> None:
    path = tiny_pack / FILES_YAML
    text = path.read_text()
    path.write_text(text.replace("  updated: 2026-01-01\n", "  updated: 2026-01-01\n  checked: 2025-12-01\n", 1))
    report = read_pack(tiny_pack)
    assert report.ok  # a stale check is a warning: the question still loads
    [warning] = [p for p in report.problems if p.severity == "warning"]
    assert warning.file == FILES_YAML
    assert warning.line == _line(path, "  checked: 2025-12-01")
    assert "after its documentation check on 2025-12-01" in warning.message


def test_a_fresh_documentation_check_is_accepted_and_counted(tiny_pack: Path) -> None:
    path = tiny_pack / FILES_YAML
    path.write_text(
        path.read_text().replace("  updated: 2026-01-01\n", "  updated: 2026-01-01\n  checked: 2026-02-03\n", 1)
    )
    report = read_pack(tiny_pack)
    assert report.problems == []
    assert report.pack is not None
    check = pack_stats(report.pack)["documentation_check"]
    assert check["checked"] == 1
    assert check["oldest"] == "2026-02-03"
    assert 0 < check["checked_percent"] < 100


def test_checked_dates_on_flashcards_and_notes_are_counted(tiny_pack: Path) -> None:
    cards = tiny_pack / "flashcards" / "d1.yaml"
    cards.write_text(cards.read_text().replace("  tags: []\n", "  tags: []\n  checked: 2026-03-04\n", 1))
    notes = tiny_pack / "notes" / "d2.md"
    notes.write_text(notes.read_text().replace("domain: 2\n", "domain: 2\nchecked: 2026-05-06\n", 1))
    report = read_pack(tiny_pack)
    assert report.problems == []
    assert report.pack is not None
    check = pack_stats(report.pack)["documentation_check"]
    assert (check["flashcards_checked"], check["flashcards_oldest"]) == (1, "2026-03-04")
    assert (check["notes"], check["notes_checked"], check["notes_oldest"]) == (2, 1, "2026-05-06")


def test_a_checked_date_that_is_not_a_date_points_at_its_line(tiny_pack: Path) -> None:
    cards = tiny_pack / "flashcards" / "d1.yaml"
    cards.write_text(cards.read_text().replace("  tags: []\n", "  tags: []\n  checked: soon\n", 1))
    report = read_pack(tiny_pack)
    assert report.pack is None
    [error] = report.errors
    assert error.file == "flashcards/d1.yaml"
    assert error.line == _line(cards, "  checked: soon")


def test_explainers_are_read_with_their_answer_first(tiny_pack: Path) -> None:
    pack = load_pack(tiny_pack)
    [compare, troubleshoot] = pack.explainers
    assert compare.title == "ls -a vs ls -la?"
    assert compare.lead == (
        "Both show hidden files; -la also prints one long line per file with its permissions, owner, size and date."
    )
    assert [choice.option for choice in compare.choose] == ["ls -a", "ls -la"]
    assert troubleshoot.asks[0] == "vi says E37: No write since last change"
