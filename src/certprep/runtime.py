"""Everything a running certprep holds: the loaded packs and the open database.

The CLI and the web app both start from here, so a broken pack or a wrong database URL is reported the same way
whichever door the user came in by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from certprep.clock import Clock, local_today, system_clock
from certprep.config import Settings
from certprep.content import Pack, PackReport
from certprep.content.cache import cached_read_pack
from certprep.content.registry import pack_dirs
from certprep.store import DatabaseError, ensure_local_user, open_engine, session_factory, upgrade

if TYPE_CHECKING:
    from certprep.services.accounts import AccountService
    from certprep.services.certs import CertService
    from certprep.services.exams import ExamService
    from certprep.services.learning import LearningService
    from certprep.services.mail import MailServer
    from certprep.services.marks import MarkService
    from certprep.services.reports import ReportService
    from certprep.services.search import SearchService
    from certprep.services.tutoring import TutorService


class StartupError(Exception):
    """certprep cannot start; ``lines`` say why, ready to print."""

    def __init__(self, headline: str, lines: list[str] | None = None) -> None:
        super().__init__(headline)
        self.headline = headline
        self.lines = lines or []


def read_packs(folders: list[Path], cache_dir: Path | None = None) -> list[PackReport]:
    return [cached_read_pack(folder, cache_dir) for folder in folders]


def load_packs(settings: Settings) -> dict[str, Pack]:
    """Load every configured pack, or raise StartupError listing every problem of every broken one."""
    folders = pack_dirs(settings.extra_packs, include_builtin=settings.include_builtin_packs)
    packs: dict[str, Pack] = {}
    problems: list[str] = []
    for report in read_packs(folders, settings.cache_dir):
        if report.pack is None or report.errors:
            problems += [f"{report.path}/{problem}" for problem in report.errors]
            if report.pack is None and not report.errors:
                problems.append(f"{report.path}: the pack could not be read")
            continue
        if report.pack.id in packs:
            problems.append(
                f"{report.path}: pack id '{report.pack.id}' is already used by {packs[report.pack.id].path}"
            )
            continue
        packs[report.pack.id] = report.pack
    if problems:
        raise StartupError(f"certprep cannot start: {len(problems)} problem(s) in its content packs", problems)
    if not packs:
        raise StartupError("certprep cannot start: no content pack was found")
    return packs


def _mail_server(settings: Settings) -> MailServer | None:
    if not settings.smtp_url:
        return None
    from certprep.errors import InvalidInput
    from certprep.services.mail import MailServer

    try:
        return MailServer.from_url(settings.smtp_url, settings.mail_from)
    except InvalidInput as error:
        raise StartupError(f"certprep: {error}") from None


@dataclass
class Runtime:
    """The packs and database of one running certprep."""

    settings: Settings
    packs: dict[str, Pack]
    engine: Engine
    sessions: sessionmaker[Session]
    local_user_id: int
    # The one clock of this runtime: every service gets it, so "now" is the same instant everywhere.
    clock: Clock = field(default=system_clock)
    # The mail server for reset links (CERTPREP_SMTP_URL), or None: then the admin passes the link on.
    mail: MailServer | None = None

    # Each service is made on first use, with its imports: a command that only asks the tutor does not load
    # password hashing or the certification tracker.
    @cached_property
    def exams(self) -> ExamService:
        from certprep.services.exams import ExamService

        return ExamService(self.sessions, self.packs, clock=self.clock)

    @cached_property
    def learning(self) -> LearningService:
        from certprep.services.learning import LearningService

        return LearningService(self.sessions, self.packs, self.exams, clock=self.clock)

    @cached_property
    def accounts(self) -> AccountService:
        from certprep.services.accounts import AccountService

        return AccountService(
            self.sessions,
            self.settings.registration,
            clock=self.clock,
            idle=dt.timedelta(minutes=self.settings.session_idle_minutes),
            lifetime=dt.timedelta(days=self.settings.session_days),
        )

    @cached_property
    def certs(self) -> CertService:
        from certprep.services.certs import CertService

        # The booking advice asks the learning model (a typed protocol, services.certs.LearningModel).
        return CertService(self.sessions, self.packs, learning=self.learning.progress, clock=self.clock)

    @cached_property
    def reports(self) -> ReportService:
        from certprep.services.reports import ReportService

        return ReportService(self.sessions, self.packs, self.exams, clock=self.clock)

    @cached_property
    def marks(self) -> MarkService:
        from certprep.services.marks import MarkService

        return MarkService(self.sessions, self.packs, self.exams, clock=self.clock)

    @cached_property
    def search(self) -> SearchService:
        from certprep.services.search import SearchService

        return SearchService(self.sessions, self.packs, self.exams, self.marks)

    @cached_property
    def tutors(self) -> TutorService:
        from certprep.services.tutoring import TutorService

        # Each pack's index is built on first use, or read from the cache beside the read packs.
        return TutorService(self.packs, self.exams, cache_dir=self.settings.cache_dir)

    @classmethod
    def start(cls, settings: Settings | None = None, clock: Clock = system_clock) -> Runtime:
        settings = settings or Settings()
        packs = load_packs(settings)
        mail = _mail_server(settings)
        try:
            engine = open_engine(settings.database_url)
            upgrade(engine)
        except DatabaseError as error:
            raise StartupError(f"certprep: {error}") from None
        sessions = session_factory(engine)
        return cls(settings, packs, engine, sessions, ensure_local_user(sessions), clock, mail=mail)

    @property
    def hosted(self) -> bool:
        """Hosted mode: many learners, each signed in; local mode has one learner and no login."""
        return self.settings.hosted

    def today(self) -> dt.date:
        """Today's date where this machine is, by the runtime's clock."""
        return local_today(self.clock)

    def pack(self, pack_id: str) -> Pack | None:
        return self.packs.get(pack_id)

    def close(self) -> None:
        self.engine.dispose()
