"""Which establishments the tracker follows by default, decided from GIAS's
type and type-group *codes* as well as their names.

GIAS has renamed things over the years -- the type group of community and
voluntary schools was "LA maintained schools" in files of late 2018 and early
2019, "Local authority maintained schools" before and after -- while the codes
stayed the same.  So a code decides first; a name is only the fallback for a
file without code columns (a chosen-fields extract), and every name GIAS is
known to have used is listed.

Each type and group has a *rule*:

* ``"in"``: state-funded schools, tracked by default (docs/rules-of-progress.md, "Schools in scope": local
  authority maintained, academies and free schools, special schools, pupil
  referral units);
* ``"independent"``: independent schools, out unless the administrator
  includes them;
* ``"fe"``: further education, out unless the administrator includes it;
* ``"out"``: never tracked (universities, Welsh establishments, secure units,
  schools overseas, online providers, ...).

Where the codes and names come from (listed in ``docs/gias-scope.md``): the
establishment types of GIAS's all-fields files of April 2023, August 2023,
January 2024, July 2024, January 2025 and April 2025 as listed by the public
repository MastodonC/witan.gias (``data/edubasealldata<date>-establishment-
types.csv``), and GIAS's own file of 29 October 2018 (20 rows kept in
Lercher/rdf, ``encoding/csv/edubasealldata20181029_20.csv``), which is where
"LA maintained schools" is seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

Rule = Literal["in", "independent", "fe", "out"]

#: ``EstablishmentTypeGroup (code)`` -> (every name GIAS has used, rule).
#: The first name is the current one.
TYPE_GROUPS: Final[dict[int, tuple[tuple[str, ...], Rule]]] = {
    1: (("Colleges",), "fe"),
    2: (("Universities",), "out"),
    3: (("Independent schools",), "independent"),
    4: (("Local authority maintained schools", "LA maintained schools"), "in"),
    5: (("Special schools",), "in"),
    6: (("Welsh schools",), "out"),
    9: (("Other types",), "out"),
    10: (("Academies",), "in"),
    11: (("Free Schools",), "in"),
    13: (("Online provider",), "out"),
}

#: Group names known without a code in the sources above (kept from the
#: tracker's earlier table so a file naming them is still placed).
TYPE_GROUP_NAMES_WITHOUT_CODE: Final[dict[str, Rule]] = {
    "Children's centres": "out",
}

#: ``TypeOfEstablishment (code)`` -> (every name GIAS has used, group code,
#: rule).  A type's rule wins over its group's: "Other independent special
#: school" is filed under Special schools but is independent; a city
#: technology college is filed under Independent schools but is wholly
#: state-funded (a forerunner of academies), so it is tracked.
TYPES: Final[dict[int, tuple[tuple[str, ...], int, Rule]]] = {
    1: (("Community school",), 4, "in"),
    2: (("Voluntary aided school",), 4, "in"),
    3: (("Voluntary controlled school",), 4, "in"),
    5: (("Foundation school",), 4, "in"),
    6: (("City technology college",), 3, "in"),
    7: (("Community special school",), 5, "in"),
    8: (("Non-maintained special school",), 5, "in"),
    10: (("Other independent special school",), 5, "independent"),
    11: (("Other independent school",), 3, "independent"),
    12: (("Foundation special school",), 5, "in"),
    14: (("Pupil referral unit",), 4, "in"),
    15: (("Local authority nursery school",), 4, "in"),
    18: (("Further education",), 1, "fe"),
    24: (("Secure units",), 9, "out"),
    25: (("Offshore schools",), 9, "out"),
    26: (("Service children's education",), 9, "out"),
    27: (("Miscellaneous",), 9, "out"),
    28: (("Academy sponsor led",), 10, "in"),
    29: (("Higher education institutions",), 2, "out"),
    30: (("Welsh establishment",), 6, "out"),
    31: (("Sixth form centres",), 1, "fe"),
    32: (("Special post 16 institution",), 9, "out"),
    33: (("Academy special sponsor led",), 10, "in"),
    34: (("Academy converter",), 10, "in"),
    35: (("Free schools",), 11, "in"),
    36: (("Free schools special",), 11, "in"),
    37: (("British schools overseas",), 9, "out"),
    38: (("Free schools alternative provision",), 11, "in"),
    39: (("Free schools 16 to 19",), 11, "in"),
    40: (("University technical college",), 11, "in"),
    41: (("Studio schools",), 11, "in"),
    42: (("Academy alternative provision converter",), 10, "in"),
    43: (("Academy alternative provision sponsor led",), 10, "in"),
    44: (("Academy special converter",), 10, "in"),
    45: (("Academy 16-19 converter",), 10, "in"),
    46: (("Academy 16 to 19 sponsor led",), 10, "in"),
    49: (("Online provider",), 13, "out"),
    56: (("Institution funded by other government department",), 9, "out"),
    57: (("Academy secure 16 to 19",), 10, "in"),
}

#: Type names known without a code in the sources above.
TYPE_NAMES_WITHOUT_CODE: Final[dict[str, Rule]] = {
    "Children's centre": "out",
    "Children's centre linked site": "out",
}

_SIXTEEN = re.compile(r"16\s*(?:-|to)\s*19")


def _fold(name: str) -> str:
    """A name as compared: case, runs of spaces and "16-19" / "16 to 19" ignored."""
    return _SIXTEEN.sub("16 to 19", " ".join((name or "").split()).casefold())


def _code(text: str | None) -> int | None:
    value = (text or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


_GROUP_BY_NAME: Final[dict[str, Rule]] = {
    **{_fold(n): rule for names, rule in TYPE_GROUPS.values() for n in names},
    **{_fold(n): rule for n, rule in TYPE_GROUP_NAMES_WITHOUT_CODE.items()},
}
_TYPE_BY_NAME: Final[dict[str, Rule]] = {
    **{_fold(n): rule for names, _, rule in TYPES.values() for n in names},
    **{_fold(n): rule for n, rule in TYPE_NAMES_WITHOUT_CODE.items()},
}


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an establishment falls, and whether its type was known."""

    rule: Rule
    #: The type (by code or name) is in :data:`TYPES`: a type this rule has
    #: never seen is placed by its group (or out), and listed in the preview.
    type_known: bool

    def in_scope(self, *, include_independent: bool = False, include_fe: bool = False) -> bool:
        return (self.rule == "in" or (self.rule == "independent" and include_independent)
                or (self.rule == "fe" and include_fe))


@lru_cache(maxsize=4096)
def place(type_name: str | None = None, type_group: str | None = None, *,
          type_code: str | None = None, group_code: str | None = None) -> Placement:
    """Place an establishment: by its type code, else its type name, else its
    group code, else its group name (names ignore case and spacing).  A type
    and group never seen are out: a new kind of establishment is never added
    to the figures silently; a new *type* inside a known group follows its
    group (a new kind of academy is in)."""
    code = _code(type_code)
    if code is not None and code in TYPES:
        return Placement(TYPES[code][2], True)
    by_name = _TYPE_BY_NAME.get(_fold(type_name or ""))
    if by_name is not None:
        return Placement(by_name, True)
    group = _code(group_code)
    if group is not None and group in TYPE_GROUPS:
        return Placement(TYPE_GROUPS[group][1], False)
    return Placement(_GROUP_BY_NAME.get(_fold(type_group or ""), "out"), False)


def in_scope_by_default(type_group: str, type_name: str, *, type_code: str | None = None,
                        group_code: str | None = None) -> bool:
    """Whether an establishment of this group and type is tracked by default
    (see :func:`place`)."""
    return place(type_name, type_group, type_code=type_code, group_code=group_code).rule == "in"


def group_known(type_group: str | None = None, group_code: str | None = None) -> bool:
    """Whether the group (by code or name) is one this rule has placed."""
    code = _code(group_code)
    if code is not None:
        return code in TYPE_GROUPS
    return _fold(type_group or "") in _GROUP_BY_NAME
