"""An optional language model behind any OpenAI-compatible chat endpoint (Ollama, llama.cpp, vLLM, a hosted API).

The contract used is the smallest common one: ``POST {base}/chat/completions`` with ``model``, ``messages`` and
``stream``; a non-streamed reply carries ``choices[0].message.content``, a streamed one is Server-Sent Events whose
``data:`` lines carry ``choices[0].delta.content`` and end with ``data: [DONE]``.

Every failure (no server, a timeout, a 4xx or 5xx, a body that is not that JSON) becomes :class:`LLMError`, so the
tutor can fall back to the retrieval answer with one ``except``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

URL_VARIABLE = "CERTPREP_LLM_URL"
MODEL_VARIABLE = "CERTPREP_LLM_MODEL"
KEY_VARIABLE = "CERTPREP_LLM_API_KEY"
TIMEOUT_VARIABLE = "CERTPREP_LLM_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
CONNECT_TIMEOUT = 3.0


class LLMError(Exception):
    """The model could not give an answer; the message says why in one line."""


@dataclass(frozen=True)
class LLMConfig:
    """Where the model is. ``timeout`` bounds the wait for each read (the first token, then each chunk)."""

    url: str
    model: str
    api_key: str = ""
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LLMConfig | None:
        """The configuration from CERTPREP_LLM_*; None when no URL is set (the tutor then works offline)."""
        env = os.environ if environ is None else environ
        url = env.get(URL_VARIABLE, "").strip()
        if not url:
            return None
        try:
            timeout = float(env.get(TIMEOUT_VARIABLE, "") or DEFAULT_TIMEOUT)
        except ValueError:
            timeout = DEFAULT_TIMEOUT
        return cls(
            url=url,
            model=env.get(MODEL_VARIABLE, "").strip() or "default",
            api_key=env.get(KEY_VARIABLE, ""),
            timeout=timeout,
        )

    @property
    def endpoint(self) -> str:
        """The chat completions URL: CERTPREP_LLM_URL may be the API base (``.../v1``) or the full endpoint."""
        base = self.url.rstrip("/")
        return base if base.endswith("/chat/completions") else base + "/chat/completions"


Message = dict[str, str]


class LLMClient:
    """A small client for one configured endpoint."""

    def __init__(self, config: LLMConfig) -> None:
        self.config = config

    def _request(self, messages: list[Message], stream: bool) -> dict[str, Any]:
        return {"model": self.config.model, "messages": messages, "stream": stream, "temperature": 0.2}

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        return headers

    def _timeout(self) -> httpx.Timeout:
        import httpx  # only when a model is configured: the offline tutor never pays for the import

        return httpx.Timeout(self.config.timeout, connect=min(CONNECT_TIMEOUT, self.config.timeout))

    def complete(self, messages: list[Message]) -> str:
        """The whole answer in one response."""
        import httpx

        try:
            response = httpx.post(
                self.config.endpoint,
                json=self._request(messages, False),
                headers=self._headers(),
                timeout=self._timeout(),
            )
        except httpx.TimeoutException:
            raise LLMError(f"the model did not answer within {self.config.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise LLMError(f"cannot reach the model at {self.config.endpoint}: {error}") from None
        if response.status_code >= 400:
            raise LLMError(f"the model endpoint answered HTTP {response.status_code}")
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise LLMError("the model endpoint did not return an OpenAI-style chat completion") from None
        if not isinstance(content, str) or not content.strip():
            raise LLMError("the model returned an empty answer")
        return content

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """The answer as it is generated, piece by piece. Raises LLMError at the point where it goes wrong."""
        import httpx

        received = False
        try:
            with httpx.stream(
                "POST",
                self.config.endpoint,
                json=self._request(messages, True),
                headers=self._headers(),
                timeout=self._timeout(),
            ) as response:
                if response.status_code >= 400:
                    raise LLMError(f"the model endpoint answered HTTP {response.status_code}")
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue  # SSE comments, event names and blank separators
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    try:
                        piece = json.loads(data)["choices"][0].get("delta", {}).get("content")
                    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
                        raise LLMError("the model endpoint sent a stream that is not OpenAI-style") from None
                    if piece:
                        received = True
                        yield str(piece)
        except httpx.TimeoutException:
            raise LLMError(f"the model stopped answering for more than {self.config.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise LLMError(f"cannot reach the model at {self.config.endpoint}: {error}") from None
        if not received:
            raise LLMError("the model returned an empty answer")
