"""Which establishments the tracker follows by default, by GIAS type group
and type of establishment."""

from __future__ import annotations

from typing import Final

#: Whether an establishment is in the tracker's scope by default, by
#: ``EstablishmentTypeGroup (name)``.  State-funded schools are in: local
#: authority maintained schools (which include pupil referral units and LA
#: nursery schools), academies (including alternative provision, special and
#: 16-19 academies), free schools (including UTCs, studio schools, AP and
#: special free schools) and special schools.  Independent schools,
#: colleges, universities, Welsh establishments, online providers,
#: children's centres and "Other types" (secure units, offshore schools,
#: service children's education, British schools overseas, special post-16
#: institutions, miscellaneous) are out.
SCOPE_BY_TYPE_GROUP: Final[dict[str, bool]] = {
    "Local authority maintained schools": True,
    "Academies": True,
    "Free Schools": True,
    "Special schools": True,
    "Independent schools": False,
    "Colleges": False,
    "Universities": False,
    "Welsh schools": False,
    "Other types": False,
    "Online provider": False,
    "Children's centres": False,
}

#: ``TypeOfEstablishment (name)`` values whose scope differs from their
#: group's, or that must hold whatever group a file puts them in.  These
#: win over :data:`SCOPE_BY_TYPE_GROUP`.
SCOPE_BY_TYPE: Final[dict[str, bool]] = {
    # GIAS files this under "Special schools", but it is a fee-charging
    # independent school.
    "Other independent special school": False,
    # Under "Independent schools", but a city technology college is wholly
    # state-funded (a forerunner of academies), so it is treated like one.
    "City technology college": True,
    # Always in, whatever group a file gives them.
    "Pupil referral unit": True,
    "Non-maintained special school": True,
    # Always out.
    "Other independent school": False,
    "Further education": False,
    "Sixth form centres": False,
    "Higher education institutions": False,
    "Online provider": False,
    "Welsh establishment": False,
    "Service children's education": False,
    "British schools overseas": False,
    "Offshore schools": False,
    "Children's centre": False,
    "Children's centre linked site": False,
}

_SCOPE_GROUP_FOLDED: Final[dict[str, bool]] = {
    k.casefold(): v for k, v in SCOPE_BY_TYPE_GROUP.items()
}
_SCOPE_TYPE_FOLDED: Final[dict[str, bool]] = {k.casefold(): v for k, v in SCOPE_BY_TYPE.items()}


def in_scope_by_default(type_group: str, type_name: str) -> bool:
    """Whether an establishment of this group and type is tracked by default.

    ``type_name`` (``TypeOfEstablishment (name)``) is looked up first in
    :data:`SCOPE_BY_TYPE`, then ``type_group``
    (``EstablishmentTypeGroup (name)``) in :data:`SCOPE_BY_TYPE_GROUP`; both
    ignore case and surrounding spaces.  A group GIAS has not used before is
    out of scope by default, so a new kind of establishment is never added
    silently; a new *type* inside a known group follows its group (a new
    kind of academy is in).
    """
    by_type = _SCOPE_TYPE_FOLDED.get((type_name or "").strip().casefold())
    if by_type is not None:
        return by_type
    return _SCOPE_GROUP_FOLDED.get((type_group or "").strip().casefold(), False)
