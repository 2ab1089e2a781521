"""What a GIAS import was asked to do and what it found: the options, the problems, the
counts, scope by type, and the fields the file leaves unchanged. Shown by the upload page
and the command alike."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from tracker.schools.gias import ABSENT_MESSAGES, SchoolRow, group_known
from tracker.schools.linking import LinkSummary, count

MAX_PROBLEMS_KEPT = 500


@dataclass(frozen=True)
class ImportOptions:
    la: tuple[str, ...] = ()
    include_independent: bool = False
    include_fe: bool = False

    def describe(self) -> str:
        parts = [f"local authorities {', '.join(self.la)}" if self.la else "every local authority"]
        if self.include_independent:
            parts.append("independent schools included")
        if self.include_fe:
            parts.append("further education included")
        return "; ".join(parts)


@dataclass(frozen=True)
class Hints:
    """Where the user should give a file instead, in the words of the page or command
    they used."""
    links_as_establishments: str = "give it with --links"
    establishments_as_links: str = "give it as the establishments file (PATH), not with --links"


COMMAND_HINTS = Hints()
UPLOAD_HINTS = Hints(
    links_as_establishments='upload it in the "GIAS links file (optional)" field',
    establishments_as_links='upload it in the "GIAS establishments file" field')


@dataclass(frozen=True)
class Problem:
    """A bad record (or file) found by the check: which file, line and column, and why."""
    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file] + ([f"line {self.line}"] if self.line else []) + \
            ([self.column] if self.column else [])
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ScopeCount:
    """Schools of one type in the file, in and out of scope."""
    type_label: str
    group_label: str
    in_scope: int = 0
    out_of_scope: int = 0
    #: The scope rule knows this type (by code or name).
    known: bool = True


def _label(name: str | None, code: str | None, what: str) -> str:
    if name:
        return name
    return f"{what} code {code}" if code else f"no {what} given"


@dataclass
class ImportSummary:
    file_name: str
    options: ImportOptions
    links_file_name: str | None = None
    encoding: str | None = None
    rows_read: int = 0
    added: int = 0
    added_closed: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0
    skipped_by_filter: int = 0
    left_scope: int = 0
    joined_scope: int = 0
    #: Optional fields the file has no columns for (left as they are).
    absent: tuple[str, ...] = ()
    scope_by_type: dict[tuple[str, str], ScopeCount] = field(default_factory=dict)
    #: Type groups in the file the scope rule has never seen.
    unknown_groups: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    links: LinkSummary | None = None
    dry_run: bool = False
    applied: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def changed(self) -> bool:
        links = self.links.changes if self.links else 0
        return bool(self.added or self.updated or self.closed or links)

    @property
    def scope_decided(self) -> bool:
        """The file has type or type-group columns, so scope comes from it."""
        return not {"type", "type_group"} <= set(self.absent)

    def problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(problem)

    def count_scope(self, row: SchoolRow, in_scope: bool) -> None:
        """Count one school of the file by type, in or out of scope."""
        placement = row.placement
        key = (_label(row.type_group, row.type_group_code, "type group"),
               _label(row.type_name, row.type_code, "type"))
        tally = self.scope_by_type.get(key)
        if tally is None:
            tally = self.scope_by_type[key] = ScopeCount(key[1], key[0], known=placement.type_known)
        if in_scope:
            tally.in_scope += 1
        else:
            tally.out_of_scope += 1
        if (row.type_group or row.type_group_code) and not group_known(row.type_group,
                                                                       row.type_group_code):
            self.unknown_groups[key[0]] = self.unknown_groups.get(key[0], 0) + 1

    def scope_rows(self) -> list[ScopeCount]:
        """Scope by type, by group then type, for the preview's table."""
        return [self.scope_by_type[key] for key in sorted(self.scope_by_type)]

    def unknown_types(self) -> list[ScopeCount]:
        return [row for row in self.scope_rows() if not row.known]

    def headline(self) -> str:
        text = (f"{self.added:,} added, {self.updated:,} updated, {self.closed:,} closed, "
                f"{self.unchanged:,} unchanged")
        if self.skipped_by_filter:
            text += f"; {self.skipped_by_filter:,} skipped (other local authorities)"
        return text

    def absent_lines(self) -> list[str]:
        """What the file leaves unchanged, one line per missing optional field."""
        if not self.scope_decided:
            return [m for f, m in ABSENT_MESSAGES.items() if f in self.absent
                    and f not in ("type", "type_group")] + [
                "no TypeOfEstablishment or EstablishmentTypeGroup columns: types, type groups "
                "and scope unchanged; new schools are added out of scope"]
        return [ABSENT_MESSAGES[f] for f in self.absent]

    def scope_lines(self) -> list[str]:
        """Scope by type in words (the command's version of the preview's table)."""
        if not self.scope_decided:
            return []
        out = ["Scope by type (schools in this file):"]
        for row in self.scope_rows():
            out.append(f"  {row.type_label} ({row.group_label}): {row.in_scope:,} in scope, "
                       f"{row.out_of_scope:,} out of scope"
                       + ("" if row.known else " -- type never seen before"))
        unknown = self.unknown_types()
        if unknown:
            out.append(f"{count(len(unknown), 'type')} never seen before (placed by their type "
                       "group, or out of scope if that is unknown too): "
                       + ", ".join(row.type_label for row in unknown)
                       + ". Check them before importing.")
        if self.unknown_groups:
            out.append("Type groups never seen before (out of scope): "
                       + ", ".join(f"{g} ({n:,})" for g, n in sorted(self.unknown_groups.items())))
        return out

    def lines(self) -> list[str]:
        """The summary in words, for the command line and the upload page."""
        out = [self.headline()]
        if self.added_closed:
            out.append(f"{count(self.added_closed, 'school')} added already closed")
        if self.left_scope:
            out.append(f"{count(self.left_scope, 'school')} leaving scope (out of the adoption "
                       "figures from now)")
        if self.joined_scope:
            out.append(f"{count(self.joined_scope, 'school')} joining scope")
        out.extend(self.absent_lines())
        if self.links:
            out.extend(self.links.lines())
        return out

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items()
                if k not in ("problems", "links", "options", "scope_by_type")}
        data["options"] = self.options.describe()
        data["scope_by_type"] = [asdict(row) for row in self.scope_rows()]
        if self.links:
            data["links"] = self.links.as_dict()
        return data


def summary_to_json(summary: ImportSummary) -> str:
    """The whole summary as JSON, for a preview made by a background job (tracker/jobs.py)
    and shown later, maybe by another host; ``summary_from_json`` gives it back."""
    data = asdict(summary)
    data["scope_by_type"] = [[list(key), asdict(row)] for key, row in summary.scope_by_type.items()]
    return json.dumps(data)


def summary_from_json(text: str) -> ImportSummary:
    data = json.loads(text)
    data["options"] = ImportOptions(la=tuple(data["options"]["la"]),
                                    include_independent=data["options"]["include_independent"],
                                    include_fe=data["options"]["include_fe"])
    data["absent"] = tuple(data["absent"])
    data["scope_by_type"] = {tuple(key): ScopeCount(**row) for key, row in data["scope_by_type"]}
    data["problems"] = [Problem(**p) for p in data["problems"]]
    if data["links"] is not None:
        links = data["links"]
        links["several_predecessors"] = [tuple(pair) for pair in links["several_predecessors"]]
        data["links"] = LinkSummary(**links)
    return ImportSummary(**data)
