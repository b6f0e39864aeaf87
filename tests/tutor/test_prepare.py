"""The slow part of making a tutor is prepared once and cached: it pickles whole, and an edit of the tutor's code
invalidates the cache."""

from __future__ import annotations

import pickle

from certprep.content import load_pack
from certprep.services.tutoring import TUTOR_CODE
from certprep.tutor import Tutor
from certprep.tutor.tutor import prepare
from tests.conftest import TINY_PACK


def test_prepared_parts_survive_the_cache() -> None:
    pack = load_pack(TINY_PACK)
    prepared = prepare(pack)
    copy = pickle.loads(pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL))
    fresh, cached = Tutor(pack, prepared=prepared), Tutor(pack, prepared=copy)
    for query in ("ls -a vs ls -la?", "why can't I quit vi with :q", "how do I lsit hidden files"):
        assert cached.answer(query).text == fresh.answer(query).text


def test_the_cache_watches_the_tutors_own_code() -> None:
    assert TUTOR_CODE.is_dir()
    assert (TUTOR_CODE / "explainers.py").is_file()
