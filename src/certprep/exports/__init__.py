"""Exports and imports: what certprep gives learners to take elsewhere, and what they can bring in.

Pure code (no database, web or terminal): PDFs typeset with Typst (``cheatsheet``, ``question_bank``,
``score_report`` over ``typeset`` and ``markdown``), Anki packages (``anki``), and the question-bank interchange
formats Moodle XML, GIFT and CSV (``moodle``, ``gift``, ``csvbank`` over ``interchange``), which ``importer`` turns
into a new pack checked by the pack rules. Backups of learner data live in ``certprep.services.backup``.
See docs/exports.md.
"""
