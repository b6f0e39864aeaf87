"""The application: what certprep does for a learner, on top of the domain packages and the store.

Each service owns one part of the application (exams, the learning loop, certifications, accounts, backups, the
tutor) and reads and writes through :mod:`certprep.store`, always filtered by the learner's id. The web app and the
command line are front doors to these services; they hold no rule of their own.
"""
