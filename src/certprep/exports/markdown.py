"""Markdown from packs as a plain tree of blocks and inline runs, ready to hand to a Typst template as JSON.

Notes, stems and explanations are Markdown. The PDFs are typeset by Typst, whose own markup gives meaning to
characters such as ``*``, ``_``, ``#``, ``$`` and ``@`` that are ordinary text in AWS prose (``#{variables.NAME}``,
``s3://bucket/*``). Rather than escaping Markdown into Typst source, the Markdown is parsed here with markdown-it
(the same parser the web pages use) into nested dicts, and the Typst template walks that tree and places every text
run as a string value. A string value is always set as literal text, so no content can change the document's code.

Block shapes (key ``k``)::

    {"k": "heading", "level": 3, "c": [inline...]}
    {"k": "paragraph", "c": [inline...]}
    {"k": "list", "ordered": false, "start": 1, "items": [[block...], ...]}
    {"k": "table", "header": [[inline...], ...], "rows": [[[inline...], ...], ...]}
    {"k": "code", "v": "text"}
    {"k": "quote", "c": [block...]}
    {"k": "rule"}

Inline shapes: ``{"k": "text", "v"}``, ``{"k": "code", "v"}``, ``{"k": "strong", "c"}``, ``{"k": "em", "c"}``,
``{"k": "link", "href", "c"}``, ``{"k": "space"}`` (a soft line break) and ``{"k": "break"}`` (a hard one).
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

Block = dict[str, Any]
Inline = dict[str, Any]

# html=False: raw HTML in a pack is shown as text, never interpreted (packs may come from users).
_parser = MarkdownIt("commonmark", {"html": False}).enable("table")


def parse_blocks(text: str) -> list[Block]:
    """Parse Markdown ``text`` into the block tree described in the module docstring."""
    root = SyntaxTreeNode(_parser.parse(text or ""))
    return _blocks(root.children)


def parse_inlines(text: str) -> list[Inline]:
    """Parse a one-paragraph Markdown string (an option, a table cell) into inline runs.

    Several paragraphs are joined with a line break, so nothing the author wrote is lost.
    """
    runs: list[Inline] = []
    for block in parse_blocks(text):
        if runs:
            runs.append({"k": "break"})
        runs += _flatten(block)
    return runs


def render_html(text: str, inline: bool = False) -> str:
    """Markdown as HTML (raw HTML in the text is escaped, not passed through). ``inline`` drops the paragraph tags."""
    if inline:
        return str(_parser.renderInline(text or ""))
    return str(_parser.render(text or "")).strip()


def plain_text(text: str) -> str:
    """The words of Markdown ``text`` without markup (for Anki sort fields, titles and tests)."""
    return "".join(_plain(run) for run in parse_inlines(text)).strip()


def _plain(run: Inline) -> str:
    if run["k"] in ("text", "code"):
        return str(run["v"])
    if run["k"] in ("space", "break"):
        return " "
    return "".join(_plain(child) for child in run.get("c", []))


def _flatten(block: Block) -> list[Inline]:
    """The inline runs of any block, for places that can only hold a line of text."""
    kind = block["k"]
    if kind in ("heading", "paragraph"):
        return list(block["c"])
    if kind == "code":
        return [{"k": "code", "v": block["v"]}]
    if kind == "list":
        runs: list[Inline] = []
        for item in block["items"]:
            if runs:
                runs.append({"k": "break"})
            runs.append({"k": "text", "v": "• "})
            for inner in item:
                runs += _flatten(inner)
        return runs
    if kind == "quote":
        return [run for inner in block["c"] for run in _flatten(inner)]
    if kind == "table":
        rows = [block["header"], *block["rows"]]
        runs = []
        for row in rows:
            if runs:
                runs.append({"k": "break"})
            for index, cell in enumerate(row):
                if index:
                    runs.append({"k": "text", "v": " | "})
                runs += cell
        return runs
    return []


def _blocks(nodes: list[SyntaxTreeNode]) -> list[Block]:
    blocks: list[Block] = []
    for node in nodes:
        block = _block(node)
        if block is not None:
            blocks.append(block)
    return blocks


def _block(node: SyntaxTreeNode) -> Block | None:
    kind = node.type
    if kind == "heading":
        return {"k": "heading", "level": int(node.tag[1:]), "c": _inline_children(node)}
    if kind == "paragraph":
        return {"k": "paragraph", "c": _inline_children(node)}
    if kind in ("bullet_list", "ordered_list"):
        start = node.attrs.get("start", 1)
        return {
            "k": "list",
            "ordered": kind == "ordered_list",
            "start": int(start) if isinstance(start, int | float | str) else 1,
            "items": [_blocks(item.children) for item in node.children],
        }
    if kind == "table":
        return _table(node)
    if kind in ("fence", "code_block"):
        return {"k": "code", "v": node.content.rstrip("\n")}
    if kind == "blockquote":
        return {"k": "quote", "c": _blocks(node.children)}
    if kind == "hr":
        return {"k": "rule"}
    if kind == "html_block":  # only reached if html were enabled; keep the text visible
        return {"k": "paragraph", "c": [{"k": "text", "v": node.content}]}
    return None


def _table(node: SyntaxTreeNode) -> Block:
    header: list[list[Inline]] = []
    rows: list[list[list[Inline]]] = []
    for part in node.children:
        for row in part.children:
            cells = [_inline_children(cell) for cell in row.children]
            if part.type == "thead":
                header = cells
            else:
                rows.append(cells)
    width = max([len(header), *(len(row) for row in rows)], default=0)
    header += [[] for _ in range(width - len(header))]
    rows = [row + [[] for _ in range(width - len(row))] for row in rows]
    return {"k": "table", "header": header, "rows": rows}


def _inline_children(node: SyntaxTreeNode) -> list[Inline]:
    runs: list[Inline] = []
    for child in node.children:
        if child.type == "inline":
            runs += _inlines(child.children)
    return runs


def _inlines(nodes: list[SyntaxTreeNode]) -> list[Inline]:
    runs: list[Inline] = []
    for node in nodes:
        kind = node.type
        if kind in ("text", "html_inline"):
            if runs and runs[-1]["k"] == "text":  # markdown-it splits text at special characters; rejoin it
                runs[-1] = {"k": "text", "v": runs[-1]["v"] + node.content}
            else:
                runs.append({"k": "text", "v": node.content})
        elif kind == "code_inline":
            runs.append({"k": "code", "v": node.content})
        elif kind == "strong":
            runs.append({"k": "strong", "c": _inlines(node.children)})
        elif kind == "em":
            runs.append({"k": "em", "c": _inlines(node.children)})
        elif kind == "link":
            runs.append({"k": "link", "href": str(node.attrs.get("href", "")), "c": _inlines(node.children)})
        elif kind == "image":
            runs.append({"k": "text", "v": str(node.attrs.get("alt", "") or node.content)})
        elif kind == "softbreak":
            runs.append({"k": "space"})
        elif kind == "hardbreak":
            runs.append({"k": "break"})
    return runs
