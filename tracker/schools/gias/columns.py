"""The layout of GIAS's CSV files: their headers, the columns the readers
need, and the establishment statuses GIAS uses."""

from __future__ import annotations

from typing import Final

#: The full header of ``edubasealldata<date>.csv`` in GIAS's own order, as
#: published in July 2024 (139 columns).  The reader does not require it --
#: it needs only :data:`REQUIRED_COLUMNS`, wherever they are -- but test
#: fixtures and the benchmark generator write files in exactly this layout,
#: and a caller may compare :attr:`GiasReader.header` with it to notice that
#: GIAS has changed its layout.
EDUBASE_COLUMNS: Final[tuple[str, ...]] = (
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)",
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "ReasonEstablishmentClosed (code)",
    "ReasonEstablishmentClosed (name)",
    "CloseDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Boarders (code)",
    "Boarders (name)",
    "NurseryProvision (name)",
    "OfficialSixthForm (code)",
    "OfficialSixthForm (name)",
    "Gender (code)",
    "Gender (name)",
    "ReligiousCharacter (code)",
    "ReligiousCharacter (name)",
    "ReligiousEthos (name)",
    "Diocese (code)",
    "Diocese (name)",
    "AdmissionsPolicy (code)",
    "AdmissionsPolicy (name)",
    "SchoolCapacity",
    "SpecialClasses (code)",
    "SpecialClasses (name)",
    "CensusDate",
    "NumberOfPupils",
    "NumberOfBoys",
    "NumberOfGirls",
    "PercentageFSM",
    "TrustSchoolFlag (code)",
    "TrustSchoolFlag (name)",
    "Trusts (code)",
    "Trusts (name)",
    "SchoolSponsorFlag (name)",
    "SchoolSponsors (name)",
    "FederationFlag (name)",
    "Federations (code)",
    "Federations (name)",
    "UKPRN",
    "FEHEIdentifier",
    "FurtherEducationType (name)",
    "OfstedLastInsp",
    "OfstedSpecialMeasures (code)",
    "OfstedSpecialMeasures (name)",
    "LastChangedDate",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "HeadPreferredJobTitle",
    "BSOInspectorateName (name)",
    "InspectorateReport",
    "DateOfLastInspectionVisit",
    "NextInspectionVisit",
    "TeenMoth (name)",
    "TeenMothPlaces",
    "CCF (name)",
    "SENPRU (name)",
    "EBD (name)",
    "PlacesPRU",
    "FTProv (name)",
    "EdByOther (name)",
    "Section41Approved (name)",
    "SEN1 (name)",
    "SEN2 (name)",
    "SEN3 (name)",
    "SEN4 (name)",
    "SEN5 (name)",
    "SEN6 (name)",
    "SEN7 (name)",
    "SEN8 (name)",
    "SEN9 (name)",
    "SEN10 (name)",
    "SEN11 (name)",
    "SEN12 (name)",
    "SEN13 (name)",
    "TypeOfResourcedProvision (name)",
    "ResourcedProvisionOnRoll",
    "ResourcedProvisionCapacity",
    "SenUnitOnRoll",
    "SenUnitCapacity",
    "GOR (code)",
    "GOR (name)",
    "DistrictAdministrative (code)",
    "DistrictAdministrative (name)",
    "AdministrativeWard (code)",
    "AdministrativeWard (name)",
    "ParliamentaryConstituency (code)",
    "ParliamentaryConstituency (name)",
    "UrbanRural (code)",
    "UrbanRural (name)",
    "GSSLACode (name)",
    "Easting",
    "Northing",
    "MSOA (name)",
    "LSOA (name)",
    "InspectorateName (name)",
    "SENStat",
    "SENNoStat",
    "BoardingEstablishment (name)",
    "PropsName",
    "PreviousLA (code)",
    "PreviousLA (name)",
    "PreviousEstablishmentNumber",
    "OfstedRating (name)",
    "Country (name)",
    "UPRN",
    "SiteName",
    "QABName (code)",
    "QABName (name)",
    "EstablishmentAccredited (code)",
    "EstablishmentAccredited (name)",
    "QABReport",
    "CHNumber",
    "MSOA (code)",
    "LSOA (code)",
    "FSM",
    "AccreditationExpiryDate",
)

#: Columns every establishments file must have (a GIAS chosen-fields
#: extract with URN, name and local authority code included), besides one of
#: :data:`STATUS_COLUMNS`.
REQUIRED_COLUMNS: Final[tuple[str, ...]] = ("URN", "EstablishmentName", "LA (code)")

#: The establishment's status, by name or by code: a file needs one of them.
STATUS_COLUMNS: Final[tuple[str, ...]] = ("EstablishmentStatus (name)", "EstablishmentStatus (code)")

#: Optional fields and the columns they are read from.  A field is present
#: when any of its columns is; when none is, an import leaves that field of
#: every school as it is and says so (:data:`ABSENT_MESSAGES`).
OPTIONAL_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "la_name": ("LA (name)",),
    "type": ("TypeOfEstablishment (name)", "TypeOfEstablishment (code)"),
    "type_group": ("EstablishmentTypeGroup (name)", "EstablishmentTypeGroup (code)"),
    "phase": ("PhaseOfEducation (name)",),
    "open_date": ("OpenDate",),
    "close_date": ("CloseDate",),
    "trust": ("Trusts (code)", "Trusts (name)"),
    "postcode": ("Postcode",),
}

#: What an import says when a file lacks an optional field's columns.
ABSENT_MESSAGES: Final[dict[str, str]] = {
    "la_name": "no LA (name) column: local authority names unchanged",
    "type": "no TypeOfEstablishment columns: types unchanged",
    "type_group": "no EstablishmentTypeGroup columns: type groups unchanged, scope decided from the type",
    "phase": "no PhaseOfEducation column: phases unchanged",
    "open_date": "no OpenDate column: open dates unchanged",
    "close_date": "no CloseDate column: close dates unchanged",
    "trust": "no trust columns: trust links unchanged",
    "postcode": "no Postcode column: postcodes unchanged",
}

#: Every column the establishments reader reads.
USED_COLUMNS: Final[tuple[str, ...]] = (
    REQUIRED_COLUMNS + STATUS_COLUMNS + tuple(c for cs in OPTIONAL_FIELDS.values() for c in cs)
)

#: GIAS's ``EstablishmentStatus (code)`` values, as names.
STATUS_CODES: Final[dict[str, str]] = {
    "1": "Open",
    "2": "Closed",
    "3": "Open, but proposed to close",
    "4": "Proposed to open",
}

#: Header of ``links_edubasealldata<date>.csv``.
LINKS_COLUMNS: Final[tuple[str, ...]] = (
    "URN",
    "LinkURN",
    "LinkName",
    "LinkType",
    "LinkEstablishedDate",
)

#: Links columns that must be present (``LinkName`` and
#: ``LinkEstablishedDate`` are read when present).
LINKS_REQUIRED_COLUMNS: Final[tuple[str, ...]] = ("URN", "LinkURN", "LinkType")

#: GIAS's ``EstablishmentStatus (name)`` values and what they become.
STATUSES: Final[dict[str, str]] = {
    "Open": "open",
    "Closed": "closed",
    "Open, but proposed to close": "open_proposed_to_close",
    "Proposed to open": "proposed_to_open",
}

#: Columns only GIAS's *group* links file (``alllinksdata``: which schools
#: are in which trust or federation) has.
GROUP_LINKS_COLUMNS: Final[tuple[str, ...]] = ("Group UID", "Group Type")
