"""The learning loop: spaced repetition, mastery, readiness, adaptive practice and study plans.

Pure Python on plain values (answers, reviews, pack content): nothing here touches the web, the database or the
terminal, so every model can be tested and benchmarked on its own. docs/learning.md explains the models.
"""
