"""Reading and editing ``indicators.yml`` for the admin page, and trying patterns on offers.

Edits keep the file as staff and reviewers know it: the one line holding a language's pattern
list or explanation is replaced in place (comments and layout stay), and the result is parsed
back and compared with what was meant; only if that fails (an unusual layout) is the whole file
re-written by the YAML dumper.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot import LANGUAGES
from bot.content import ContentError, parse_content_text

INDICATORS_FILE = "indicators.yml"
SAMPLES_FILE = Path(__file__).parent / "samples.yml"
MAX_PATTERN_CHARS = 500
MAX_OFFERS = 50
#: Time limit of one "try a pattern" run (its child process is killed after it).
TRY_SECONDS = 15.0


@dataclass
class IndicatorView:
    id: str
    weight: float
    strength: str
    computed: str | None
    patterns: dict[str, list[str]]
    explanations: dict[str, str]
    missing_patterns: list[str] = field(default_factory=list)
    missing_explanations: list[str] = field(default_factory=list)


def parse(text: str) -> dict[str, Any]:
    """The indicators file's data (the C YAML loader, as the bot reads content: ~10x faster)."""
    data = parse_content_text(INDICATORS_FILE, text)
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise ContentError(INDICATORS_FILE, None, "indicators", "is missing")
    return data


def indicators(text: str) -> list[IndicatorView]:
    """Every indicator with its patterns and explanations per language and what is missing."""
    out = []
    for raw in parse(text)["indicators"]:
        if not isinstance(raw, dict) or "id" not in raw:
            continue
        patterns = {str(k): [pattern_line(p) for p in (v or [])]
                    for k, v in (raw.get("patterns") or {}).items()}
        explanations = {str(k): str(v) for k, v in (raw.get("explanation") or {}).items()
                        if v is not None}
        view = IndicatorView(
            id=str(raw["id"]), weight=float(raw.get("weight") or 0),
            strength=str(raw.get("strength") or ""), computed=raw.get("computed"),
            patterns=patterns, explanations=explanations,
        )
        view.missing_patterns = [lang for lang in LANGUAGES if not patterns.get(lang)]
        view.missing_explanations = [
            lang for lang in LANGUAGES if not explanations.get(lang, "").strip()]
        out.append(view)
    return out


def find(text: str, iid: str) -> IndicatorView | None:
    return next((view for view in indicators(text) if view.id == iid), None)


# --- editing ---------------------------------------------------------------------------------


def _quoted(pattern: str) -> str:
    """A YAML single-quoted string (backslashes stay literal, as in the file)."""
    return "'" + pattern.replace("'", "''") + "'"


def _flow_list(items: list[Any]) -> str:
    """A YAML flow list of the items: patterns single-quoted, conditional patterns as mappings."""
    return "[" + ", ".join(_quoted(i) if isinstance(i, str) else pattern_line(i)
                           for i in items) + "]"


def pattern_line(item: Any) -> str:
    """One pattern as the edit form shows it: a regex, or a conditional pattern in the file's own
    syntax, ``{match: '…', unless: '…'}``, so that saving the form writes it back unchanged
    (shown as Python's repr, a saved conditional pattern became a regex that matched nothing)."""
    if isinstance(item, str):
        return item
    if not isinstance(item, dict):
        return str(item)
    return "{" + ", ".join(f"{key}: " + (_flow_list(value) if isinstance(value, list)
                                           else _quoted(str(value)))
                           for key, value in item.items()) + "}"


def pattern_item(line: str) -> Any:
    """A form line back to a content item; a line starting with ``{`` must be a conditional
    pattern. Each regex in it is bounded by :data:`MAX_PATTERN_CHARS` (ValueError otherwise)."""
    from bot.engines.patterns import PatternError, split_item

    item: Any = line
    if line.startswith("{"):
        try:
            item = yaml.safe_load(line)
        except yaml.YAMLError:
            item = None
        if not isinstance(item, dict):
            raise ValueError("a line starting with { must be a conditional pattern "
                             "{match: '…', unless: '…'} (or escape the brace: \\{)")
        try:
            match, unless, not_with = split_item(item)
        except PatternError as exc:
            raise ValueError(str(exc)) from None
        regexes = [match, *unless, *not_with]
    else:
        regexes = [line]
    if any(len(regex) > MAX_PATTERN_CHARS for regex in regexes):
        raise ValueError(f"a pattern is longer than {MAX_PATTERN_CHARS} characters")
    return item


def clean_patterns(lines: str) -> list[str]:
    """One pattern per line; blank lines dropped, duplicates removed, order kept; each line
    checked by :func:`pattern_item`."""
    out: list[str] = []
    for line in (lines or "").splitlines():
        line = line.strip()
        if line and line not in out:
            pattern_item(line)
            out.append(line)
    return out


def _block(lines: list[str], iid: str) -> tuple[int, int] | None:
    """Line range of the indicator ``iid`` (``  - id: IID`` up to the next entry)."""
    start = None
    for i, line in enumerate(lines):
        match = re.match(r"^  - id:\s*['\"]?([A-Za-z0-9_]+)['\"]?\s*$", line)
        if match and start is None and match.group(1) == iid:
            start = i
        elif start is not None and (re.match(r"^  - ", line) or re.match(r"^\S", line)):
            return start, i
    return (start, len(lines)) if start is not None else None


def _set_in_section(
    lines: list[str], start: int, end: int, section: str, lang: str, value: str | None
) -> bool:
    """Replace/insert/remove the ``      lang: …`` line of ``section`` inside [start, end)."""
    head = next((i for i in range(start, end) if re.match(rf"^    {section}:\s*(\{{\}})?\s*$",
                                                          lines[i])), None)
    if head is None:
        return False
    if lines[head].rstrip().endswith("{}"):
        lines[head] = f"    {section}:"
    i = head + 1
    # the section's lines: its entries, blank lines and comments indented under its key
    while i < end and (lines[i].startswith("      ") or not lines[i].strip()
                       or lines[i].startswith("    #")):
        if re.match(rf"^      {lang}:\s", lines[i]):
            if value is None:
                del lines[i]
                if i >= len(lines) or not lines[i].startswith("      "):
                    if not lines[i - 1].startswith("      "):  # the section is now empty
                        lines[head] = f"    {section}: {{}}"
            else:
                lines[i] = f"      {lang}: {value}"
            return True
        i += 1
    if value is not None:
        last = i
        while last > head + 1 and not lines[last - 1].strip():
            last -= 1
        lines.insert(last, f"      {lang}: {value}")
    elif head + 1 >= len(lines) or not lines[head + 1].startswith("      "):
        lines[head] = f"    {section}: {{}}"
    return True


def update_indicator(
    text: str, iid: str, patterns: dict[str, list[str]], explanations: dict[str, str]
) -> str:
    """``text`` with the patterns and explanations of ``iid`` set for the given languages.

    A language with an empty pattern list loses its patterns; an empty explanation is left out.
    """
    data = parse(text)
    entry = next((e for e in data["indicators"] if isinstance(e, dict) and e.get("id") == iid),
                 None)
    if entry is None:
        raise KeyError(iid)
    for value in [*explanations.values(), *(p for ps in patterns.values() for p in ps)]:
        if "\n" in value or "\r" in value:
            raise ValueError("a pattern or explanation must be one line")
    items_of = {lang: [pattern_item(line) for line in lines] for lang, lines in patterns.items()}
    # What the edited entry must look like once parsed back.
    wanted_patterns = dict(entry.get("patterns") or {})
    for lang, items in items_of.items():
        if items:
            wanted_patterns[lang] = items
        else:
            wanted_patterns.pop(lang, None)
    wanted_expl = dict(entry.get("explanation") or {})
    for lang, value in explanations.items():
        if value.strip():
            wanted_expl[lang] = value.strip()
        else:
            wanted_expl.pop(lang, None)

    lines = text.split("\n")
    block = _block(lines, iid)
    ok = block is not None
    if ok:
        for lang, items in items_of.items():
            start, end = _block(lines, iid) or (0, 0)
            ok = ok and _set_in_section(lines, start, end, "patterns", lang,
                                        _flow_list(items) if items else None)
        for lang, value in explanations.items():
            start, end = _block(lines, iid) or (0, 0)
            ok = ok and _set_in_section(
                lines, start, end, "explanation", lang,
                json.dumps(value.strip(), ensure_ascii=False) if value.strip() else None)
    if ok:
        edited = "\n".join(lines)
        try:
            again = next(e for e in parse(edited)["indicators"] if e.get("id") == iid)
            if ((again.get("patterns") or {}) == wanted_patterns
                    and (again.get("explanation") or {}) == wanted_expl):
                return edited
        except (ContentError, StopIteration, AttributeError):
            pass
    # Unusual layout: re-write the whole file (comments are lost, the data is right).
    entry["patterns"] = wanted_patterns
    entry["explanation"] = wanted_expl
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


# --- trying patterns -------------------------------------------------------------------------


def samples() -> list[dict[str, str]]:
    """The shipped sample offers: ``[{id, lang, text}]``."""
    data = yaml.safe_load(SAMPLES_FILE.read_text(encoding="utf-8")) or {}
    return [{"id": str(s["id"]), "lang": str(s.get("lang", "")), "text": str(s["text"])}
            for s in data.get("offers", [])]


def compile_pattern(pattern: str) -> Any:
    """A staff pattern (a form line) compiled exactly as the bot compiles it (RE2; ContentError
    if refused)."""
    from bot.engines.patterns import checked_item, compile_item

    return compile_item(checked_item(INDICATORS_FILE, "try", "pattern", pattern_item(pattern)))


def _write_files(files: dict[str, str], directory: Path) -> None:
    for name, body in files.items():
        if "/" in name or "\\" in name or name.startswith("."):
            continue
        (directory / name).write_text(body, encoding="utf-8")


def load_draft_rules(files: dict[str, str]) -> Any:
    """``bot.engines.redflags.Rules`` of ``files`` (raises ContentError naming file/entry/field)."""
    from bot.engines.redflags import load_rules

    with tempfile.TemporaryDirectory(prefix="safejobs-draft-") as tmp:
        _write_files(files, Path(tmp))
        return load_rules(Path(tmp))


def try_offers(
    files: dict[str, str], pattern: str | None, offers: list[dict[str, str]]
) -> list[dict[str, Any]]:
    """For each offer: where ``pattern`` matches, and the risk and flags with ``files``' rules."""
    from bot.engines.patterns import prepare_text
    from bot.engines.redflags import check_offer

    rules = load_draft_rules(files)
    rule = compile_pattern(pattern) if pattern else None
    results = []
    for offer in offers[:MAX_OFFERS]:
        check = check_offer(offer["text"], offer.get("lang") or None, with_rules=rules)
        match = None
        if rule is not None:
            text = prepare_text(offer["text"])
            span = rule.search(text)
            match = text[span[0]:span[1]] if span else None
        results.append({
            **offer, "match": match, "risk": check.risk, "score": check.score,
            "flags": [(f.id, f.evidence) for f in check.flags],
        })
    return results


class TryTimeout(RuntimeError):
    """Trying a draft took longer than :data:`TRY_SECONDS`; the child process was killed."""


def try_offers_isolated(
    files: dict[str, str], pattern: str | None, offers: list[dict[str, str]],
    timeout: float | None = None,
) -> list[dict[str, Any]]:
    """:func:`try_offers` in a child process killed after ``timeout`` seconds.

    A draft is an editor's text: whatever it holds, it must never stall the admin page (nor,
    through the GIL, anything else in this process). ContentError is raised as in the parent.
    """
    payload = json.dumps({"files": files, "pattern": pattern, "offers": offers[:MAX_OFFERS]})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.admin.indicators"], input=payload, text=True,
            capture_output=True, timeout=timeout or TRY_SECONDS, check=False,
        )
    except subprocess.TimeoutExpired:
        raise TryTimeout(f"trying the draft took over {timeout or TRY_SECONDS:g} s") from None
    try:
        answer = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        answer = {}
    if "error" in answer:
        err = answer["error"]
        raise ContentError(err["file"], err["entry"], err["field"], err["problem"])
    if "results" not in answer:
        raise RuntimeError(f"trying the draft failed (exit {done.returncode})")
    return answer["results"]


def _main() -> None:
    """Child side of :func:`try_offers_isolated`: JSON request on stdin, JSON answer on stdout."""
    request = json.loads(sys.stdin.read())
    try:
        results = try_offers(request["files"], request.get("pattern"), request["offers"])
        print(json.dumps({"results": results}))
    except ContentError as exc:
        print(json.dumps({"error": {"file": exc.file, "entry": exc.entry, "field": exc.field,
                                    "problem": exc.problem}}))


if __name__ == "__main__":
    _main()
