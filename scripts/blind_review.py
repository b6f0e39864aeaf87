"""Blind review of pack questions: sheets without keys for independent solvers, and their scoring.

Every new or rewritten question is re-solved blind (stem and options only) and read for giveaways before a content
issue is resolved (docs/pack-format.md). This script makes the sheets and scores what the readers write back:

    python scripts/blind_review.py sheet NAME FILE.yaml [FILE.yaml ...]   # or: sheet NAME --ids ID,ID,...
        writes review/NAME.md (stem and options, codes NAME-001...) and review/NAME.keys.json (kept from readers)
    python scripts/blind_review.py mask NAME
        writes review/NAME-masked.md: every AWS name and technical term replaced by [T1], [T2]... (the same code for
        the same term within a question), so a reader can use wording only, never AWS knowledge
    python scripts/blind_review.py solved NAME      # reads review/NAME-answers.md: CODE | letters | ...
        how many answers agree with the key, and each disagreement with the question id
    python scripts/blind_review.py cues NAME        # reads review/NAME-cues.md: CODE | letters | SURE/NOT SURE | cue
        giveaways: questions whose key a reader found from wording alone, SURE and right
    python scripts/blind_review.py verdicts NAME    # reads review/NAME-verdicts.md: CODE | GIVEAWAY/FAIR | pick | cue
        the plain read: a reader who knows AWS judges each question giveaway or fair (scripts/giveaway-rubric.md)

The masked read is the stricter giveaway test: a reader shown the plain sheet cannot set aside what it knows about
AWS. Written for this project's review loop; no library does this. The review/ folder is not committed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "src" / "certprep" / "packs" / "dop-c02"
OUT = ROOT / "review"
OPTION = re.compile(r"^([A-H])\. ")
LETTERS = re.compile(r"[A-H]")
KEEP = {"choose two", "choose three", "two", "three", "least", "most", "not", "i", "region", "regions"}
# Service names come from the blueprint; these are the short forms and feature names stems use besides them.
FEATURES = (
    "Systems Manager",
    "Roles Anywhere",
    "Session Manager",
    "Parameter Store",
    "Patch Manager",
    "State Manager",
    "Run Command",
    "Automation",
    "OpsCenter",
    "Incident Manager",
    "Change Manager",
    "Change Calendar",
    "Fleet Manager",
    "Quick Setup",
    "Control Tower",
    "Account Factory",
    "StackSets",
    "StackSet",
    "stack sets",
    "stack set",
    "Logs Insights",
    "Container Insights",
    "Lambda Insights",
    "Contributor Insights",
    "Application Signals",
    "Live Tail",
    "Transaction Search",
    "Synthetics",
    "Image Builder",
    "Step Functions",
    "Service Catalog",
    "Trusted Advisor",
    "Auto Scaling",
    "Elastic Disaster Recovery",
    "Direct Connect",
    "Transit Gateway",
    "PrivateLink",
    "Resolver",
    "Firewall Manager",
    "Network Firewall",
    "permission boundary",
    "permissions boundary",
    "Karpenter",
    "Kubernetes",
    "Terraform",
    "Jenkins",
    "GitHub",
    "GitLab",
    "Bitbucket",
    "Docker",
    "Helm",
)


def _questions(files: list[str], ids: str | None) -> list[dict[str, object]]:
    if ids is not None:
        every = {
            q["id"]: q for path in sorted(PACK.glob("questions/*/*.yaml")) for q in yaml.safe_load(path.read_text())
        }
        return [every[question_id] for question_id in ids.split(",")]
    return [q for path in files for q in yaml.safe_load(Path(path).read_text()) or []]


def sheet(name: str, files: list[str], ids: str | None) -> None:
    lines: list[str] = []
    keys: dict[str, dict[str, object]] = {}
    for number, question in enumerate(_questions(files, ids), start=1):
        code = f"{name.upper()}-{number:03d}"
        options = question["options"]
        assert isinstance(options, list)
        keys[code] = {"id": question["id"], "key": sorted(o["id"] for o in options if o["correct"])}
        lines += [f"## {code}", "", str(question["stem"]).strip(), ""]
        lines += [f"{o['id']}. {str(o['text']).strip()}" for o in options] + [""]
    OUT.mkdir(exist_ok=True)
    (OUT / f"{name}.md").write_text("\n".join(lines))
    (OUT / f"{name}.keys.json").write_text(json.dumps(keys, indent=1))
    print(f"{len(keys)} questions: {OUT / name}.md (keys apart in {name}.keys.json)")


def _masker() -> re.Pattern[str]:
    blueprint = yaml.safe_load((PACK / "blueprint.yaml").read_text())
    names = {s for group in blueprint["services"].values() for s in group} | set(blueprint["additional_services"])
    names |= {s.split(" ", 1)[1] for s in names if s.startswith(("AWS ", "Amazon "))} | set(FEATURES)
    terms = "|".join(re.escape(term) for term in sorted(names, key=len, reverse=True))
    tokens = (
        r"`[^`]+`|\"[^\"]{2,40}\"|'[^' ]{2,40}'"  # code and quoted names
        r"|\b[A-Za-z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*\b"  # CamelCase, digits too (S3UnlockBucketPolicy)
        r"|\b[A-Z][A-Z0-9_]{1,}\b"  # ACRONYMS and CONSTANT_NAMES
        r"|\b[\w.-]*[_:/][\w.:/*-]+\b"  # snake_case, paths, ARNs
        r"|\b[A-Za-z]+(?:-[A-Za-z0-9]+)+\b"  # kebab-case and Hyphen-Names
        r"|(?<=[a-z0-9,;:)] )[A-Z][a-z]+\b"  # a capitalised name in mid-sentence
    )
    return re.compile(rf"(?<![\w-])(?:{terms})(?![\w-])|{tokens}")


def mask(name: str) -> None:
    pattern = _masker()
    blocks = (OUT / f"{name}.md").read_text().split("\n## ")
    out = []
    for block in filter(str.strip, blocks):
        code, _, body = block.lstrip("# ").partition("\n")
        table: dict[str, str] = {}

        def code_for(match: re.Match[str], table: dict[str, str] = table) -> str:
            word = match.group(0)
            if word.lower() in KEEP:
                return word
            return table.setdefault(word.lower().strip("`\"'"), f"[T{len(table) + 1}]")

        lines = []
        for line in body.splitlines():
            head = line[:3] if OPTION.match(line) else ""
            lines.append(head + pattern.sub(code_for, line[len(head) :]))
        out.append(f"## {code}\n" + "\n".join(lines))
    (OUT / f"{name}-masked.md").write_text("\n\n".join(out) + "\n")
    print(f"{OUT / name}-masked.md")


def _rows(name: str, suffix: str) -> tuple[dict[str, dict[str, object]], list[list[str]]]:
    keys = json.loads((OUT / f"{name}.keys.json").read_text())
    rows = [
        [part.strip() for part in line.split("|")] for line in (OUT / f"{name}-{suffix}.md").read_text().splitlines()
    ]
    return keys, [row for row in rows if len(row) >= 3 and row[0] in keys]


def solved(name: str) -> None:
    keys, rows = _rows(name, "answers")
    disagree = [row for row in rows if sorted(LETTERS.findall(row[1])) != keys[row[0]]["key"]]
    print(f"{name}: {len(rows) - len(disagree)} of {len(keys)} agree with the key")
    for row in disagree:
        print(f"  {row[0]} {keys[row[0]]['id']}: key {keys[row[0]]['key']}, solver {row[1]} ({' | '.join(row[2:])})")


def cues(name: str) -> None:
    keys, rows = _rows(name, "cues")
    giveaways = [
        row
        for row in rows
        if row[2].upper().startswith("SURE") and sorted(LETTERS.findall(row[1].split(" or ")[0])) == keys[row[0]]["key"]
    ]
    print(f"{name}: {len(giveaways)} of {len(rows)} found from wording alone (SURE and right)")
    for row in giveaways:
        print(f"  {row[0]} {keys[row[0]]['id']}: {row[3] if len(row) > 3 else ''}")


def verdicts(name: str) -> None:
    keys, rows = _rows(name, "verdicts")
    flagged = [row for row in rows if row[1].upper().startswith("GIVEAWAY")]
    missing = sorted(set(keys) - {row[0] for row in rows})
    share = len(flagged) / len(rows) if rows else 0.0
    print(f"{name}: {len(flagged)} of {len(rows)} read as giveaways ({share:.1%}); {len(missing)} not read")
    for row in flagged:
        right = sorted(LETTERS.findall(row[2])) == keys[row[0]]["key"] if len(row) > 2 else False
        cue = row[3] if len(row) > 3 else ""
        print(f"  {row[0]} {keys[row[0]]['id']} ({'right' if right else 'wrong'} pick): {cue}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("sheet")
    make.add_argument("name")
    make.add_argument("files", nargs="*")
    make.add_argument("--ids")
    for command in ("mask", "solved", "cues", "verdicts"):
        commands.add_parser(command).add_argument("name")
    args = parser.parse_args(argv)
    if args.command == "sheet":
        sheet(args.name, args.files, args.ids)
    else:
        {"mask": mask, "solved": solved, "cues": cues, "verdicts": verdicts}[args.command](args.name)


if __name__ == "__main__":
    main(sys.argv[1:])
