"""A small, strict renderer for the subset of Helm's Go templates deploy/helm/safe-jobs uses.

There is no ``helm`` binary here. This renders the chart's templates with its values so a test
can parse the manifests with YAML and check them. What it implements: actions with ``{{-``/``-}}``
whitespace trimming; ``if``/``else``, ``range`` (maps in key order, like Go), ``with`` and
``end``; pipelines and parenthesised sub-expressions; fields of ``.``, ``$`` and variables; the
functions ``toYaml nindent quote tpl index default printf required and or not eq``. Anything
else (``include``, ``define``, a missing key, an unknown function) is an error, so the chart must
stay inside what is checked. It is not Helm: sprig's full library and Go's exact printing of
odd values are not reproduced.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

ACTION = re.compile(r"\{\{(- )?(.*?)( -)?\}\}", re.DOTALL)
TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\(|\)|\||:=|,|[^\s()|,]+)')


class TemplateError(Exception):
    """The template uses something this renderer does not implement, or a value is missing."""


def parse(source: str) -> list[Any]:
    """Text and actions, whitespace-trimmed, as a nested list of nodes."""
    pieces: list[Any] = []
    position = 0
    for match in ACTION.finditer(source):
        text = source[position:match.start()]
        if match.group(1):
            text = text.rstrip()
        pieces.append(text)
        pieces.append(("action", match.group(2).strip(), bool(match.group(3))))
        position = match.end()
    pieces.append(source[position:])
    for i, piece in enumerate(pieces):  # "-}}" trims the text that follows
        if isinstance(piece, tuple) and piece[2]:
            pieces[i + 1] = pieces[i + 1].lstrip()
    nodes, rest = _block(iter(pieces), top=True)
    return nodes


def _block(pieces: Any, top: bool = False) -> tuple[list[Any], str | None]:
    nodes: list[Any] = []
    for piece in pieces:
        if isinstance(piece, str):
            nodes.append(("text", piece))
            continue
        body = piece[1]
        keyword = body.split(None, 1)[0] if body else ""
        if keyword in ("end", "else"):
            if top:
                raise TemplateError(f"unexpected {{{{ {body} }}}}")
            return nodes, keyword
        if keyword in ("if", "range", "with"):
            inner, closing = _block(pieces)
            otherwise: list[Any] = []
            if closing == "else":
                otherwise, closing = _block(pieces)
            if closing != "end":
                raise TemplateError(f"{{{{ {body} }}}} is not closed")
            nodes.append((keyword, body[len(keyword):].strip(), inner, otherwise))
        elif keyword in ("define", "template", "block", "include") or body.startswith("/*"):
            raise TemplateError(f"not supported here: {{{{ {body} }}}}")
        else:
            nodes.append(("expr", body))
    if not top:
        raise TemplateError("a block is not closed")
    return nodes, None


def truthy(value: Any) -> bool:
    return value not in (None, False, 0, "") and value != [] and value != {}


def printed(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        raise TemplateError(f"a map or list printed as text: {value!r}")
    return str(value)


def to_yaml(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=False, sort_keys=True).rstrip("\n")


class Renderer:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def render(self, source: str) -> str:
        return self._nodes(parse(source), self.root, {"$": self.root})

    def _nodes(self, nodes: list[Any], dot: Any, variables: dict[str, Any]) -> str:
        out: list[str] = []
        for node in nodes:
            kind = node[0]
            if kind == "text":
                out.append(node[1])
            elif kind == "expr":
                out.append(printed(self._pipeline(_tokens(node[1]), dot, variables)))
            elif kind == "if":
                branch = node[2] if truthy(self._expr(node[1], dot, variables)) else node[3]
                out.append(self._nodes(branch, dot, variables))
            elif kind == "with":
                value = self._expr(node[1], dot, variables)
                if truthy(value):
                    out.append(self._nodes(node[2], value, variables))
                else:
                    out.append(self._nodes(node[3], dot, variables))
            elif kind == "range":
                out.append(self._range(node, dot, variables))
        return "".join(out)

    def _range(self, node: Any, dot: Any, variables: dict[str, Any]) -> str:
        header = node[1]
        names: list[str] = []
        if ":=" in header:
            declared, header = header.split(":=", 1)
            names = [n.strip() for n in declared.split(",")]
        collection = self._expr(header, dot, variables)
        if isinstance(collection, dict):
            items = [(k, collection[k]) for k in sorted(collection)]
        elif isinstance(collection, list):
            items = list(enumerate(collection))
        elif collection is None:
            items = []
        else:
            raise TemplateError(f"range over {collection!r}")
        if not items:
            return self._nodes(node[3], dot, variables)
        out = []
        for key, value in items:
            scope = dict(variables)
            if len(names) == 2:
                scope[names[0]], scope[names[1]] = key, value
            elif len(names) == 1:
                scope[names[0]] = value
            out.append(self._nodes(node[2], value, scope))
        return "".join(out)

    def _expr(self, text: str, dot: Any, variables: dict[str, Any]) -> Any:
        return self._pipeline(_tokens(text), dot, variables)

    def _pipeline(self, tokens: list[str], dot: Any, variables: dict[str, Any]) -> Any:
        commands: list[list[str]] = [[]]
        depth = 0
        for token in tokens:
            depth += token == "("
            depth -= token == ")"
            if token == "|" and depth == 0:
                commands.append([])
            else:
                commands[-1].append(token)
        value: Any = None
        for number, command in enumerate(commands):
            args = self._operands(command, dot, variables)
            head = command[0]
            if head in FUNCTIONS:
                if number:
                    args.append(value)
                value = FUNCTIONS[head](self, *args)
            elif len(args) == 1 and not number:
                value = args[0]
            else:
                raise TemplateError(f"cannot evaluate {' '.join(command)!r}")
        return value

    def _operands(self, command: list[str], dot: Any, variables: dict[str, Any]) -> list[Any]:
        values: list[Any] = []
        i = 1 if command and command[0] in FUNCTIONS else 0
        while i < len(command):
            token = command[i]
            if token == "(":
                depth, j = 1, i + 1
                while depth:
                    depth += command[j] == "("
                    depth -= command[j] == ")"
                    j += 1
                values.append(self._pipeline(command[i + 1:j - 1], dot, variables))
                i = j
                continue
            values.append(self._operand(token, dot, variables))
            i += 1
        return values

    def _operand(self, token: str, dot: Any, variables: dict[str, Any]) -> Any:
        if token.startswith('"'):
            return json.loads(token)
        if re.fullmatch(r"-?\d+", token):
            return int(token)
        if token in ("true", "false"):
            return token == "true"
        if token == ".":
            return dot
        if token.startswith("$"):
            name, _, path = token.partition(".")
            if name not in variables:
                raise TemplateError(f"undefined variable {name}")
            return _field(variables[name], path, token)
        if token.startswith("."):
            return _field(dot, token[1:], token)
        raise TemplateError(f"unknown function or value {token!r}")


def _field(value: Any, path: str, token: str) -> Any:
    for part in filter(None, path.split(".")):
        if not isinstance(value, dict) or part not in value:
            raise TemplateError(f"{token}: no key {part!r}")
        value = value[part]
    return value


def _tokens(text: str) -> list[str]:
    return [t for t in TOKEN.findall(text) if t]


def _nindent(_: Renderer, spaces: int, text: Any) -> str:
    pad = " " * spaces
    return "\n" + "\n".join(pad + line if line else line for line in printed(text).split("\n"))


def _required(_: Renderer, message: str, value: Any) -> Any:
    if not truthy(value):
        raise TemplateError(message)
    return value


def _quote(_: Renderer, value: Any) -> str:
    return json.dumps(printed(value), ensure_ascii=False)


FUNCTIONS: dict[str, Any] = {
    "toYaml": lambda _, value: to_yaml(value),
    "nindent": _nindent,
    "quote": _quote,
    "tpl": lambda r, text, ctx: Renderer(ctx).render(printed(text)),
    "index": lambda _, mapping, key: _field(mapping, str(key), f"index {key}"),
    "default": lambda _, fallback, value: value if truthy(value) else fallback,
    "printf": lambda _, fmt, *args: fmt.replace("%s", "{}").replace("%d", "{}").format(*args),
    "required": _required,
    "and": lambda _, *values: next((v for v in values if not truthy(v)), values[-1]),
    "or": lambda _, *values: next((v for v in values if truthy(v)), values[-1]),
    "not": lambda _, value: not truthy(value),
    "eq": lambda _, a, b: a == b,
}


def render_chart(chart_dir: Any, values: dict[str, Any], release: str = "safe-jobs") -> list[dict]:
    """Every manifest the chart's templates produce with ``values``, parsed as YAML."""
    chart = yaml.safe_load((chart_dir / "Chart.yaml").read_text())
    root = {
        "Values": values,
        "Release": {"Name": release, "Namespace": "default"},
        "Chart": {"Name": chart["name"], "Version": chart["version"],
                  "AppVersion": chart.get("appVersion", "")},  # fmt: skip
    }
    documents: list[dict] = []
    for template in sorted((chart_dir / "templates").glob("*.yaml")):
        text = Renderer(root).render(template.read_text())
        documents += [d for d in yaml.safe_load_all(text) if d]
    return documents
