"""The study guide of a pack: its notes cut into linkable sections, and which section covers which question and card.

A domain's notes (docs/pack-format.md) hold service cards and comparison tables (level-3 headings) and key exam
patterns (bullets with a bold name). Each of those is a **study section** with an anchor. A section **covers** a
service when it names it (the full name, or the name without "AWS"/"Amazon" as written), and a tag when every word
of the tag begins a word of the section ("cross-account" is covered by "cross-account roles", "alarm-noise" by a
card about alarms that cuts noise, "route53" by "Route 53").

From that one rule follow:

- the sections an explanation links to (:meth:`StudyGuide.links`): those sharing most services and tags with it;
- each question's and card's **home** section (:meth:`StudyGuide.home`), the best of its own domain, so that a study
  page lists every card and question once, under the section that teaches it;
- a task statement's sections: the homes of its questions and cards;
- the gaps (:meth:`StudyGuide.gaps`): services and tags that questions or cards use but no section covers, reported
  by ``certprep pack stats`` so that authors know which notes to write.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from certprep.content.models import Flashcard, Pack, Question
from certprep.content.notes import bold_lead, bullets, slug, subsections

SectionKind = Literal["service", "comparison", "pattern"]
# Which level-2 section of the notes holds which kind of study section, in the order a study page shows them.
SECTION_KINDS: tuple[tuple[str, SectionKind], ...] = (
    ("Service cards", "service"),
    ("Comparison tables", "comparison"),
    ("Key exam patterns", "pattern"),
)
QUICK_REFERENCE = "Quick reference"
MAX_LINKS = 3
# How much a shared service counts when it names the section (its heading), against one named in passing.
_TITLE_WEIGHT, _BODY_WEIGHT, _TAG_WEIGHT, _DOMAIN_WEIGHT = 4, 1, 2, 1

_WORD = re.compile(r"[a-z0-9]+")
_VENDOR = re.compile(r"^(AWS|Amazon)\s+")


@dataclass(frozen=True)
class StudySection:
    """One linkable part of a domain's notes: a service card, a comparison table or a key exam pattern."""

    domain: int
    kind: SectionKind
    title: str
    anchor: str  # unique in the pack, such as ``d1-service-aws-codepipeline``
    body: str  # Markdown: the card's bullets, the table, or the pattern's sentence
    services: frozenset[str] = frozenset()
    title_services: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DomainNotes:
    """A domain's notes as the study pages show them: the opening words, the sections, the quick-reference table."""

    domain: int
    title: str
    intro: str
    sections: tuple[StudySection, ...]
    quick_reference: str

    def of_kind(self, kind: SectionKind) -> list[StudySection]:
        return [section for section in self.sections if section.kind == kind]


@dataclass(frozen=True)
class Gaps:
    """Services and tags that questions or flashcards use but no study section covers, with how often they are used."""

    services: dict[str, int] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.services) + len(self.tags)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _grams(words: list[str]) -> set[str]:
    """Each word and each pair of neighbours written together, so that "Route 53" offers "route53" and "X-Ray"
    offers "xray"."""
    return set(words) | {first + second for first, second in itertools.pairwise(words)}


def _service_pattern(service: str) -> re.Pattern[str]:
    """The service's full name in any case, or its short name ("Systems Manager", "SNS") as written: a short name
    such as "Health" or "Config" is an ordinary word in lower case."""
    full = re.escape(service)
    short = _VENDOR.sub("", service)
    if short == service:
        return re.compile(rf"(?i:\b{full}\b)")
    return re.compile(rf"(?i:\b{full}\b)|\b{re.escape(short)}\b")


def _used(items: Iterable[Question | Flashcard]) -> tuple[dict[str, int], dict[str, int]]:
    services: dict[str, int] = defaultdict(int)
    tags: dict[str, int] = defaultdict(int)
    for item in items:
        for service in item.services:
            services[service] += 1
        for tag in item.tags:
            tags[tag] += 1
    return dict(services), dict(tags)


def _raw_sections(pack: Pack) -> tuple[dict[int, tuple[str, str, str]], list[tuple[int, SectionKind, str, str]]]:
    """Each note's (title, intro, quick reference) and its sections as (domain, kind, title, body), in note order."""
    notes: dict[int, tuple[str, str, str]] = {}
    raw: list[tuple[int, SectionKind, str, str]] = []
    for note in sorted(pack.notes, key=lambda note: note.domain):
        intro = ""
        for section_title, kind in SECTION_KINDS:
            section = note.section(section_title)
            if section is None:
                continue
            preamble, parts = subsections(section.body)
            if kind == "pattern":
                for bullet in bullets(section.body):
                    raw.append((note.domain, kind, bold_lead(bullet) or bullet[:60], f"- {bullet}"))
                continue
            if kind == "service":
                intro = preamble
            raw += [(note.domain, kind, title, body) for title, body in parts]
        quick = note.section(QUICK_REFERENCE)
        notes[note.domain] = (note.title, intro, quick.body.strip() if quick else "")
    return notes, raw


class StudyGuide:
    """A pack's notes as study sections, and where each question and card belongs. Build once per pack
    (:func:`study_guide`): it reads every section against every service and tag the pack uses."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.usable = [question for question in pack.questions if question.status != "retired"]
        self.items: list[Question | Flashcard] = [*self.usable, *pack.flashcards]
        services_used, tags_used = _used(self.items)
        notes, raw = _raw_sections(pack)
        texts = [f"{title}\n{body}" for _, _, title, body in raw]
        covering = self._tag_index(texts, tags_used)
        patterns = {service: _service_pattern(service) for service in services_used}
        sections: list[StudySection] = []
        anchors: set[str] = set()
        for index, ((domain, kind, title, body), text) in enumerate(zip(raw, texts, strict=True)):
            anchor = base = f"d{domain}-{kind}-{slug(title)}"
            number = 1
            while anchor in anchors:  # two patterns may open with the same words
                number += 1
                anchor = f"{base}-{number}"
            anchors.add(anchor)
            sections.append(
                StudySection(
                    domain=domain,
                    kind=kind,
                    title=title,
                    anchor=anchor,
                    body=body,
                    services=frozenset(s for s, pattern in patterns.items() if pattern.search(text)),
                    title_services=frozenset(s for s, pattern in patterns.items() if pattern.search(title)),
                    tags=frozenset(tag for tag, where in covering.items() if index in where),
                )
            )
        self.sections: tuple[StudySection, ...] = tuple(sections)
        self.by_anchor = {section.anchor: section for section in sections}
        self.domains = {
            domain: DomainNotes(
                domain=domain,
                title=title,
                intro=intro,
                sections=tuple(section for section in sections if section.domain == domain),
                quick_reference=quick,
            )
            for domain, (title, intro, quick) in notes.items()
        }
        covered_services = {service for section in sections for service in section.services}
        covered_tags = {tag for section in sections for tag in section.tags}
        self._gaps = Gaps(
            services={s: n for s, n in sorted(services_used.items()) if s not in covered_services},
            tags={t: n for t, n in sorted(tags_used.items()) if t not in covered_tags},
        )
        self._home: dict[str, str] = {}
        for item in self.items:
            ranked = self._ranked(item.services, item.tags, item.domain, same_domain=True) or self._ranked(
                item.services, item.tags, item.domain
            )
            if ranked:
                self._home[item.id] = ranked[0].anchor

    @staticmethod
    def _tag_index(texts: list[str], tags: Iterable[str]) -> dict[str, set[int]]:
        """For each tag, the indexes of the texts that cover it (every part of the tag begins a word or word pair)."""
        where: dict[str, set[int]] = defaultdict(set)
        for index, text in enumerate(texts):
            for gram in _grams(_words(text)):
                where[gram].add(index)
        grams = sorted(where)

        def starting(part: str) -> set[int]:
            found: set[int] = set()
            position = bisect.bisect_left(grams, part)
            while position < len(grams) and grams[position].startswith(part):
                found |= where[grams[position]]
                position += 1
            return found

        covering: dict[str, set[int]] = {}
        for tag in tags:
            parts = [part for part in tag.lower().split("-") if part]
            if not parts:
                continue
            found = starting(parts[0])
            for part in parts[1:]:
                if not found:
                    break
                found = found & starting(part)
            covering[tag] = found
        return covering

    def _ranked(
        self, services: Iterable[str], tags: Iterable[str], domain: int, same_domain: bool = False
    ) -> list[StudySection]:
        """Sections sharing a service or tag with an item, best first (ties in note order)."""
        wanted_services, wanted_tags = set(services), set(tags)
        scored: list[tuple[int, int, StudySection]] = []
        for order, section in enumerate(self.sections):
            if same_domain and section.domain != domain:
                continue
            shared = len(section.services & wanted_services) + len(section.tags & wanted_tags)
            if not shared:
                continue
            score = (
                _TITLE_WEIGHT * len(section.title_services & wanted_services)
                + _BODY_WEIGHT * len(section.services & wanted_services)
                + _TAG_WEIGHT * len(section.tags & wanted_tags)
                + (_DOMAIN_WEIGHT if section.domain == domain else 0)
            )
            scored.append((-score, order, section))
        return [section for _, _, section in sorted(scored, key=lambda entry: entry[:2])]

    def home(self, item_id: str) -> StudySection | None:
        """The section a question or card is listed under: the best of its own domain (any domain if none)."""
        anchor = self._home.get(item_id)
        return self.by_anchor[anchor] if anchor is not None else None

    def links(self, question: Question) -> list[StudySection]:
        """The sections a question's explanation links to: its home first, then the best others, at most three."""
        home = self.home(question.id)
        ranked = self._ranked(question.services, question.tags, question.domain)
        chosen = [home] if home is not None else []
        chosen += [section for section in ranked if section is not home]
        return chosen[:MAX_LINKS]

    def questions_in(self, anchor: str, task: str | None = None, live_only: bool = True) -> list[Question]:
        """The questions whose home is the section ``anchor`` (of task ``task`` only, when given)."""
        return [
            question
            for question in self.usable
            if self._home.get(question.id) == anchor
            and (task is None or question.task == task)
            and (question.status == "live" or not live_only)
        ]

    def cards_in(self, anchor: str, task: str | None = None) -> list[Flashcard]:
        """The flashcards whose home is the section ``anchor`` (of task ``task`` only, when given)."""
        return [
            card
            for card in self.pack.flashcards
            if self._home.get(card.id) == anchor and (task is None or card.task == task)
        ]

    def task_sections(self, task: str) -> list[StudySection]:
        """The sections that teach a task statement: the homes of its questions and cards, most used first."""
        counts: dict[str, int] = defaultdict(int)
        for item in self.items:
            anchor = self._home.get(item.id)
            if item.task == task and anchor is not None:
                counts[anchor] += 1
        order = {section.anchor: index for index, section in enumerate(self.sections)}
        return [self.by_anchor[a] for a in sorted(counts, key=lambda a: (-counts[a], order[a]))]

    def gaps(self) -> Gaps:
        return self._gaps


_guides: dict[int, tuple[Pack, StudyGuide]] = {}


def study_guide(pack: Pack) -> StudyGuide:
    """The pack's study guide, built on first use and kept for as long as the process runs (packs do not change
    while certprep runs; a pack read again is a new object and gets its own guide)."""
    entry = _guides.get(id(pack))
    if entry is None or entry[0] is not pack:
        entry = (pack, StudyGuide(pack))
        _guides[id(pack)] = entry
    return entry[1]
