"""Rebuild the GIAS fixture files in this folder.

    .venv/bin/python tests/schools/data/make_fixtures.py

The files are committed; this script documents how they were made and
rebuilds them byte for byte.  The layouts of other years, the links slice and
the chosen-fields extract are in gias_years.py (sources in SOURCES.md).  Every school, trust, URN and postcode is
invented (URNs are in the unused 99xxxx range); head teacher columns hold
only "Mrs Example" or nothing.  The layout is GIAS's own: the full
139-column edubasealldata header, every header name quoted, text fields
quoted, whole-number fields (URN, ages, capacity, UKPRN, easting,
northing, SENStat, SENNoStat) bare, empty fields as "".
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tracker.schools.gias import EDUBASE_COLUMNS, LINKS_COLUMNS  # noqa: E402

from tests.schools.data import gias_years  # noqa: E402

HEREFORD = {
    "LA (code)": "884",
    "LA (name)": "Herefordshire, County of",
    "GOR (code)": "F",
    "GOR (name)": "West Midlands",
    "DistrictAdministrative (code)": "E06000019",
    "DistrictAdministrative (name)": "County of Herefordshire",
    "GSSLACode (name)": "E06000019",
    "County (name)": "Herefordshire",
    "ParliamentaryConstituency (code)": "E14001273",
    "ParliamentaryConstituency (name)": "Hereford and South Herefordshire",
}

TYPES = {
    # type name: (type code, group code, group name)
    "Community school": ("01", "4", "Local authority maintained schools"),
    "Voluntary aided school": ("02", "4", "Local authority maintained schools"),
    "Voluntary controlled school": ("03", "4", "Local authority maintained schools"),
    "Other independent school": ("11", "3", "Independent schools"),
    "Foundation special school": ("12", "5", "Special schools"),
    "Pupil referral unit": ("14", "4", "Local authority maintained schools"),
    "Local authority nursery school": ("15", "4", "Local authority maintained schools"),
    "Further education": ("18", "1", "Colleges"),
    "Academy sponsor led": ("28", "10", "Academies"),
    "Academy converter": ("34", "10", "Academies"),
    "Free schools": ("35", "11", "Free Schools"),
}
STATUS_CODES = {"Open": "1", "Closed": "2", "Open, but proposed to close": "3", "Proposed to open": "4"}
PHASE_CODES = {
    "Not applicable": "0",
    "Nursery": "1",
    "Primary": "2",
    "Secondary": "4",
    "16 plus": "6",
    "All-through": "7",
}
WHOLE_NUMBERS = {
    "URN",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "SchoolCapacity",
    "UKPRN",
    "Easting",
    "Northing",
    "SENStat",
    "SENNoStat",
}


def school(urn: int, name: str, type_name: str, status: str, phase: str, **extra: object) -> dict:
    type_code, group_code, group_name = TYPES[type_name]
    values: dict[str, object] = {column: "" for column in EDUBASE_COLUMNS}
    values.update(HEREFORD)
    values.update(
        {
            "URN": urn,
            "EstablishmentNumber": str(2000 + urn % 1000),
            "EstablishmentName": name,
            "TypeOfEstablishment (code)": type_code,
            "TypeOfEstablishment (name)": type_name,
            "EstablishmentTypeGroup (code)": group_code,
            "EstablishmentTypeGroup (name)": group_name,
            "EstablishmentStatus (code)": STATUS_CODES.get(status, "9"),
            "EstablishmentStatus (name)": status,
            "ReasonEstablishmentOpened (code)": "00",
            "ReasonEstablishmentOpened (name)": "Not applicable",
            "ReasonEstablishmentClosed (code)": "00",
            "ReasonEstablishmentClosed (name)": "Not applicable",
            "PhaseOfEducation (code)": PHASE_CODES.get(phase, "0"),
            "PhaseOfEducation (name)": phase,
            "StatutoryLowAge": 4,
            "StatutoryHighAge": 11,
            "Boarders (code)": "1",
            "Boarders (name)": "No boarders",
            "NurseryProvision (name)": "No Nursery Classes",
            "OfficialSixthForm (code)": "2",
            "OfficialSixthForm (name)": "Does not have a sixth form",
            "Gender (code)": "3",
            "Gender (name)": "Mixed",
            "ReligiousCharacter (code)": "00",
            "ReligiousCharacter (name)": "Does not apply",
            "ReligiousEthos (name)": "Does not apply",
            "Diocese (code)": "0000",
            "Diocese (name)": "Not applicable",
            "AdmissionsPolicy (code)": "0",
            "AdmissionsPolicy (name)": "Not applicable",
            "SchoolCapacity": 210,
            "SpecialClasses (code)": "2",
            "SpecialClasses (name)": "No Special Classes",
            "CensusDate": "18-01-2024",
            "NumberOfPupils": "187",
            "NumberOfBoys": "96",
            "NumberOfGirls": "91",
            "PercentageFSM": "14.4",
            "TrustSchoolFlag (code)": "0",
            "TrustSchoolFlag (name)": "Not applicable",
            "SchoolSponsorFlag (name)": "Not applicable",
            "FederationFlag (name)": "Not under a federation",
            "UKPRN": 10090000 + urn % 1000,
            "FurtherEducationType (name)": "Not applicable",
            "OfstedSpecialMeasures (code)": "0",
            "OfstedSpecialMeasures (name)": "Not applicable",
            "LastChangedDate": "02-05-2024",
            "Town": "Hereford",
            "Postcode": f"HR{1 + urn % 9} {urn % 10}ZZ",
            "TelephoneNum": f"01432{urn % 1000000:06d}",
            "HeadTitle (name)": "Mrs",
            "HeadFirstName": "",
            "HeadLastName": "Example",
            "HeadPreferredJobTitle": "Headteacher",
            "BSOInspectorateName (name)": "Not applicable",
            "TeenMoth (name)": "Not applicable",
            "CCF (name)": "Not applicable",
            "SENPRU (name)": "Not applicable",
            "EBD (name)": "Not applicable",
            "EdByOther (name)": "Not applicable",
            "Section41Approved (name)": "Not applicable",
            "TypeOfResourcedProvision (name)": "Not applicable",
            "UrbanRural (code)": "E1",
            "UrbanRural (name)": "(England/Wales) Rural town and fringe",
            "Easting": 351000 + urn % 1000,
            "Northing": 239000 + urn % 1000,
            "MSOA (name)": "Herefordshire 020",
            "LSOA (name)": "Herefordshire 020C",
            "PreviousLA (code)": "999",
            "QABName (code)": "0",
            "QABName (name)": "Not applicable",
            "EstablishmentAccredited (code)": "0",
            "EstablishmentAccredited (name)": "Not applicable",
            "MSOA (code)": "E02006014",
            "LSOA (code)": "E01013980",
            "FSM": "27",
        }
    )
    for key, value in extra.items():
        column = {
            "trust": "Trusts (name)",
            "trust_code": "Trusts (code)",
            "open_date": "OpenDate",
            "close_date": "CloseDate",
        }.get(key, key)
        assert column in values, column
        values[column] = value
    if values["Trusts (code)"]:
        values["TrustSchoolFlag (code)"] = "5"
        values["TrustSchoolFlag (name)"] = "Supported by a multi-academy trust"
    return values


def elsewhere(values: dict, code: str, la_name: str, town: str, postcode: str) -> dict:
    values.update(
        {
            "LA (code)": code,
            "LA (name)": la_name,
            "Town": town,
            "Postcode": postcode,
            "County (name)": "",
            "DistrictAdministrative (name)": la_name,
            "ParliamentaryConstituency (name)": "",
            "ParliamentaryConstituency (code)": "",
            "GOR (name)": "",
            "GOR (code)": "",
        }
    )
    return values


HEREFORDSHIRE_SCHOOLS = [
    school(990001, "Wyebank Community Primary School", "Community school", "Open", "Primary",
           Street="Wyebank Road", Postcode="HR2 6ZZ"),
    school(990002, "St Mary’s RC Primary School", "Voluntary aided school", "Open", "Primary",
           **{"ReligiousCharacter (code)": "03", "ReligiousCharacter (name)": "Roman Catholic",
              "Street": "Church Lane", "Town": "Ledbury"}),
    school(990003, "Lugwardine Primary Academy", "Academy converter", "Open", "Primary",
           open_date="01-09-2014", trust_code="16001", trust="Wye Valley Learning Trust",
           **{"ReasonEstablishmentOpened (code)": "10",
              "ReasonEstablishmentOpened (name)": "Academy Converter"}),
    school(990004, "Lugwardine Primary School", "Community school", "Closed", "Primary",
           close_date="31-08-2014",
           **{"ReasonEstablishmentClosed (code)": "10",
              "ReasonEstablishmentClosed (name)": "Academy Converter",
              "HeadTitle (name)": "", "HeadLastName": "", "HeadPreferredJobTitle": "",
              "CensusDate": "", "NumberOfPupils": "", "NumberOfBoys": "", "NumberOfGirls": "",
              "PercentageFSM": "", "FSM": ""}),
    school(990005, "Bishop of Hereford’s Bluecoat School", "Academy sponsor led", "Open", "Secondary",
           open_date="01-04-2016", trust_code="16002", trust="Marches Church Schools Trust",
           StatutoryLowAge=11, StatutoryHighAge=16, SchoolCapacity=1150,
           **{"ReasonEstablishmentOpened (code)": "11",
              "ReasonEstablishmentOpened (name)": "Academy Sponsor Led",
              "SchoolSponsorFlag (name)": "Linked to a sponsor",
              "SchoolSponsors (name)": "Marches Church Schools Trust"}),
    school(990006, "Kingfisher Vale School", "Free schools", "Open", "All-through",
           open_date="01-09-2019", trust_code="16003", trust="Kingfisher Vale Education Trust",
           StatutoryLowAge=4, StatutoryHighAge=18, SchoolCapacity=1400,
           # A line break inside a quoted field: this record spans two lines.
           Street="Rotherwas Campus\nChapel Road",
           **{"OfficialSixthForm (code)": "1", "OfficialSixthForm (name)": "Has a sixth form"}),
    school(990007, "Aconbury Special School", "Foundation special school", "Open", "Not applicable",
           StatutoryLowAge=2, StatutoryHighAge=19, SchoolCapacity=120, SENStat=98, SENNoStat=0),
    school(990008, "Herefordshire Pupil Referral Service", "Pupil referral unit", "Open", "Not applicable",
           StatutoryLowAge=5, StatutoryHighAge=16, SchoolCapacity="",
           **{"PlacesPRU": "40", "SENPRU (name)": "Has SEN Provision",
              "EBD (name)": "Has EBD provision"}),
    school(990009, "Wormside House School", "Other independent school", "Open", "Not applicable",
           StatutoryLowAge=3, StatutoryHighAge=18, SchoolCapacity=350,
           **{"PropsName": "Wormside House School Ltd", "InspectorateName (name)": "ISI",
              "AdmissionsPolicy (code)": "1", "AdmissionsPolicy (name)": "Selective"}),
    school(990010, "Wye Valley College", "Further education", "Open", "16 plus",
           StatutoryLowAge=16, StatutoryHighAge=99, SchoolCapacity="",
           **{"FurtherEducationType (name)": "General Further Education College",
              "FEHEIdentifier": "8841", "SchoolWebsite": "www.wyevalleycollege.example"}),
    school(990011, "Orleton Nursery School", "Local authority nursery school", "Open", "Nursery",
           StatutoryLowAge=2, StatutoryHighAge=5, SchoolCapacity=60, Town="Leominster",
           **{"NurseryProvision (name)": "Has Nursery Classes"}),
    school(990012, "Leadon Vale Primary School", "Voluntary controlled school",
           "Open, but proposed to close", "Primary", close_date="31-08-2026",
           **{"ReligiousCharacter (code)": "02", "ReligiousCharacter (name)": "Church of England",
              "Diocese (code)": "CE11", "Diocese (name)": "Diocese of Hereford",
              "ReasonEstablishmentClosed (code)": "99",
              "ReasonEstablishmentClosed (name)": "Result of Amalgamation/Merger",
              "Town": "Bromyard"}),
    school(990013, "Ridgeway Primary School", "Community school", "Proposed to open", "Primary",
           open_date="01-09-2026", Town="Ross-on-Wye",
           **{"ReasonEstablishmentOpened (code)": "99",
              "ReasonEstablishmentOpened (name)": "Result of Amalgamation/Merger",
              "CensusDate": "", "NumberOfPupils": "", "NumberOfBoys": "", "NumberOfGirls": ""}),
]

OTHER_LA_SCHOOLS = [
    elsewhere(school(990101, "Severnside Primary School", "Community school", "Open", "Primary"),
              "885", "Worcestershire", "Worcester", "WR1 9ZZ"),
    elsewhere(school(990102, "Teme Valley Academy", "Academy converter", "Open", "Secondary",
                     open_date="01-08-2012", trust_code="16004", trust="Teme Valley Schools Trust"),
              "893", "Shropshire", "Ludlow", "SY8 9ZZ"),
    elsewhere(school(990103, "Avon Gorge Primary School", "Community school", "Open", "Primary"),
              "801", "Bristol, City of", "Bristol", "BS8 9ZZ"),
    elsewhere(school(990104, "Stour Heath Primary School", "Community school", "Open", "Primary"),
              "839", "Bournemouth, Christchurch and Poole", "Poole", "BH12 9ZZ"),
]


def edubase_bytes(rows: list[dict], encoding: str, newline: str, header=EDUBASE_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator=newline)
    writer.writerow(header)
    for values in rows:
        writer.writerow(values[c] if c in WHOLE_NUMBERS else str(values[c]) for c in header)
    return out.getvalue().encode(encoding)


def links_bytes(encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(LINKS_COLUMNS)
    for urn, link_urn, name, kind, when in [
        (990003, 990004, "Lugwardine Primary School", "Predecessor", "01-09-2014"),
        (990004, 990003, "Lugwardine Primary Academy", "Successor", "01-09-2014"),
        (990005, 990020, "Bluecoat School", "Predecessor - amalgamated", "01-04-2016"),
        (990020, 990005, "Bishop of Hereford’s Bluecoat School", "Successor - amalgamated", "01-04-2016"),
        (990021, 990005, "Bishop of Hereford’s Bluecoat School", "Successor - amalgamated", ""),
        (990010, 990030, "Wye Valley Sixth Form Centre", "Sixth Form Centre Link", ""),
        (990012, 990013, "Ridgeway Primary School", "Successor - merged", "31-08-2026"),
        (990013, 990012, "Leadon Vale Primary School", "Predecessor - merged", "31-08-2026"),
    ]:
        writer.writerow([urn, link_urn, name, kind, when])
    return out.getvalue().encode(encoding)


def bad_rows_bytes() -> bytes:
    """One problem per record; the test asserts each line and column."""
    base = HEREFORDSHIRE_SCHOOLS
    rows = [
        dict(base[0]),                                                   # 2 fine
        dict(base[1], URN="12A45"),                                      # 3 URN not a number
        dict(base[2], EstablishmentName="  "),                           # 4 name missing
        dict(base[3], OpenDate="2014-09-01"),                            # 5 ISO date
        dict(base[4], CloseDate="31-02-2021"),                           # 6 no such day
        dict(base[5], **{"EstablishmentStatus (name)": "Dormant"}),      # 7-8 unknown status
        "SHORT",                                                         # 9 too few fields
        dict(base[0], EstablishmentName="Wyebank Primary (again)"),      # 10 duplicate URN
        dict(base[7], URN="", EstablishmentName=""),                     # 11 two problems
        dict(base[8]),                                                   # 12 fine
    ]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(EDUBASE_COLUMNS)
    for values in rows:
        if values == "SHORT":
            writer.writerow([990050, "884", "Herefordshire, County of", "2050", "Truncated School"])
            continue
        writer.writerow(values[c] if c in WHOLE_NUMBERS and isinstance(values[c], int) else str(values[c])
                        for c in EDUBASE_COLUMNS)
    return out.getvalue().encode("utf-8")


NOT_GIAS = (
    "School name,Postcode,Head teacher,Phone\r\n"
    "Wyebank Community Primary School,HR2 6ZZ,Mrs Example,01432 000001\r\n"
).encode("cp1252")


def build() -> dict[str, bytes]:
    everyone = HEREFORDSHIRE_SCHOOLS + OTHER_LA_SCHOOLS
    return {
        "edubasealldata_hereford_cp1252.csv": edubase_bytes(everyone, "cp1252", "\r\n"),
        "edubasealldata_hereford_utf8.csv": edubase_bytes(everyone, "utf-8", "\n"),
        "edubasealldata_hereford_utf8_bom.csv": edubase_bytes(everyone, "utf-8-sig", "\r\n"),
        "links_edubasealldata_hereford.csv": links_bytes("cp1252"),
        "edubasealldata_bad_rows.csv": bad_rows_bytes(),
        "not_gias.csv": NOT_GIAS,
        **{f"edubasealldata_{year}_layout.csv": gias_years.year_bytes(year, school)
           for year in (2018, 2019, 2024, 2025)},
        "links_edubasealldata20250422_extract.csv": gias_years.links_2025_bytes(),
        "chosen_fields_extract.csv": gias_years.chosen_fields_bytes(),
    }


if __name__ == "__main__":
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")
