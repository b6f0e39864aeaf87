"""Mail that certprep sends itself: the password reset link an admin issues, when a mail server is configured.

``CERTPREP_SMTP_URL`` names the server: ``smtp://[USER:PASSWORD@]HOST[:PORT]`` (port 25 by default; the connection
is upgraded with STARTTLS whenever the server offers it) or ``smtps://…`` (TLS from the first byte, port 465 by
default). ``CERTPREP_MAIL_FROM`` is the sender. Without a server nothing is sent and the admin passes the link on.
The standard library's smtplib and email packages do the protocol and the message; this module only reads the
setting and words the message.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from certprep.errors import InvalidInput, Unavailable

__all__ = ["MailServer", "send_reset_link"]

TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class MailServer:
    """Where and how to hand over mail; :meth:`from_url` reads ``CERTPREP_SMTP_URL``."""

    host: str
    port: int
    sender: str
    implicit_tls: bool = False
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str, sender: str) -> MailServer:
        """Parse ``url``; one sentence naming the setting when it cannot be used."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise InvalidInput(
                f"CERTPREP_SMTP_URL must look like smtp://USER:PASSWORD@HOST:PORT or smtps://HOST, not '{url}'."
            )
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise InvalidInput(f"CERTPREP_SMTP_URL has a port that is not a number: '{url}'.") from None
        if "@" not in sender:
            raise InvalidInput(f"CERTPREP_MAIL_FROM must be an e-mail address, not '{sender}'.")
        return cls(
            host=parts.hostname,
            port=port,
            sender=sender,
            implicit_tls=parts.scheme == "smtps",
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )

    def send(self, message: EmailMessage) -> None:
        """Hand ``message`` to the server; :class:`Unavailable` with one sentence when that fails."""
        message["From"] = self.sender
        try:
            if self.implicit_tls:
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
            with client:
                if not self.implicit_tls:
                    client.ehlo()
                    if client.has_extn("starttls"):
                        client.starttls(context=ssl.create_default_context())
                if self.username:
                    client.login(self.username, self.password or "")
                client.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            raise Unavailable(f"The mail server {self.host}:{self.port} did not take the message ({reason}).") from None


def send_reset_link(server: MailServer, to: str, link: str, hours: int) -> None:
    """Mail ``to`` the one-time link that lets them set a new password."""
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = "Set a new certprep password"
    message.set_content(
        "An administrator of certprep issued a link for you to set a new password:\n\n"
        f"{link}\n\n"
        f"It works once, within {hours} hours, and signs out every browser where you are signed in.\n"
        "If you did not ask for this, tell your administrator; your password stays as it is until the link is used.\n"
    )
    server.send(message)
