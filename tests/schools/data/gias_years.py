"""GIAS layouts of other years, and the fixtures made from them: all-fields files of 2018,
2019, January 2024 and April 2025, a slice of the real April 2025 links file, and a
chosen-fields extract.  Used by make_fixtures.py; where each header comes from is in
SOURCES.md beside this file.

Schools, trusts and postcodes are invented (URNs in the unused 99xxxx range); the headers,
type and group names and codes, and the links rows are GIAS's own.
"""
from __future__ import annotations

import csv
import io

from tracker.schools.gias import EDUBASE_COLUMNS

#: GIAS's header of 29 October 2018 (133 columns), as in Lercher/rdf
#: encoding/csv/edubasealldata20181029_20.csv.  A file downloaded between December 2018 and
#: February 2019 (DFE-Digital/schools-experience spec/sample_data/edubase.csv) has the same
#: 133 columns and the same "LA maintained schools".
HEADER_2018: tuple[str, ...] = (
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (code)", "TypeOfEstablishment (name)", "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (code)", "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)", "ReasonEstablishmentOpened (name)", "OpenDate",
    "ReasonEstablishmentClosed (code)", "ReasonEstablishmentClosed (name)", "CloseDate",
    "PhaseOfEducation (code)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "Boarders (code)", "Boarders (name)", "NurseryProvision (name)", "OfficialSixthForm (code)",
    "OfficialSixthForm (name)", "Gender (code)", "Gender (name)", "ReligiousCharacter (code)",
    "ReligiousCharacter (name)", "ReligiousEthos (name)", "Diocese (code)", "Diocese (name)",
    "AdmissionsPolicy (code)", "AdmissionsPolicy (name)", "SchoolCapacity",
    "SpecialClasses (code)", "SpecialClasses (name)", "CensusDate", "NumberOfPupils",
    "NumberOfBoys", "NumberOfGirls", "PercentageFSM", "TrustSchoolFlag (code)",
    "TrustSchoolFlag (name)", "Trusts (code)", "Trusts (name)", "SchoolSponsorFlag (name)",
    "SchoolSponsors (name)", "FederationFlag (name)", "Federations (code)", "Federations (name)",
    "UKPRN", "FEHEIdentifier", "FurtherEducationType (name)", "OfstedLastInsp",
    "OfstedSpecialMeasures (code)", "OfstedSpecialMeasures (name)", "LastChangedDate", "Street",
    "Locality", "Address3", "Town", "County (name)", "Postcode", "SchoolWebsite", "TelephoneNum",
    "HeadTitle (name)", "HeadFirstName", "HeadLastName", "HeadPreferredJobTitle",
    "InspectorateName (name)", "InspectorateReport", "DateOfLastInspectionVisit",
    "NextInspectionVisit", "TeenMoth (name)", "TeenMothPlaces", "CCF (name)", "SENPRU (name)",
    "EBD (name)", "PlacesPRU", "FTProv (name)", "EdByOther (name)", "Section41Approved (name)",
    "SEN1 (name)", "SEN2 (name)", "SEN3 (name)", "SEN4 (name)", "SEN5 (name)", "SEN6 (name)",
    "SEN7 (name)", "SEN8 (name)", "SEN9 (name)", "SEN10 (name)", "SEN11 (name)", "SEN12 (name)",
    "SEN13 (name)", "TypeOfResourcedProvision (name)", "ResourcedProvisionOnRoll",
    "ResourcedProvisionCapacity", "SenUnitOnRoll", "SenUnitCapacity", "GOR (code)", "GOR (name)",
    "DistrictAdministrative (code)", "DistrictAdministrative (name)", "AdministrativeWard (code)",
    "AdministrativeWard (name)", "ParliamentaryConstituency (code)",
    "ParliamentaryConstituency (name)", "UrbanRural (code)", "UrbanRural (name)",
    "GSSLACode (name)", "Easting", "Northing", "CensusAreaStatisticWard (name)", "MSOA (name)",
    "LSOA (name)", "Inspectorate (name)", "SENStat", "SENNoStat", "BoardingEstablishment (name)",
    "PropsName", "PreviousLA (code)", "PreviousLA (name)", "PreviousEstablishmentNumber",
    "OfstedRating (name)", "RSCRegion (name)", "Country (name)", "UPRN", "SiteName",
    "MSOA (code)", "LSOA (code)",)
HEADER_2019 = HEADER_2018

#: January to May 2024 (140 columns): the July 2024 layout plus "RSCRegion (name)",
#: which GIAS dropped in July 2024 (MastodonC/witan.gias, src/witan/gias.clj).
HEADER_2024 = (EDUBASE_COLUMNS[:EDUBASE_COLUMNS.index("Country (name)")] + ("RSCRegion (name)",)
               + EDUBASE_COLUMNS[EDUBASE_COLUMNS.index("Country (name)"):])

#: April 2025 (135 columns): the July 2024 layout without the four Ofsted columns GIAS
#: dropped in April 2025 (MastodonC/witan.gias, src/witan/gias.clj).
OFSTED_DROPPED_2025 = ("OfstedLastInsp", "OfstedSpecialMeasures (code)",
                       "OfstedSpecialMeasures (name)", "OfstedRating (name)")
HEADER_2025 = tuple(c for c in EDUBASE_COLUMNS if c not in OFSTED_DROPPED_2025)

# (type code, type name, group code) -> as GIAS wrote them; the group's name is the year's.
_TYPES = {
    "Community school": ("01", "4"), "Voluntary aided school": ("02", "4"),
    "Pupil referral unit": ("14", "4"), "Local authority nursery school": ("15", "4"),
    "Foundation special school": ("12", "5"), "Other independent school": ("11", "3"),
    "Other independent special school": ("10", "5"), "City technology college": ("06", "3"),
    "Further education": ("18", "1"), "Academy converter": ("34", "10"),
    "Academy sponsor led": ("28", "10"), "Free schools": ("35", "11"),
    "University technical college": ("40", "11"), "Welsh establishment": ("30", "6"),
    "Secure units": ("24", "9"), "Online provider": ("49", "13"),
    "Academy secure 16 to 19": ("57", "10"),
}
_GROUPS = {"1": "Colleges", "3": "Independent schools", "5": "Special schools",
           "6": "Welsh schools", "9": "Other types", "10": "Academies", "11": "Free Schools",
           "13": "Online provider"}
LA_MAINTAINED = {2018: "LA maintained schools", 2019: "LA maintained schools",
                 2024: "Local authority maintained schools",
                 2025: "Local authority maintained schools"}

#: The schools of each year's file: (URN, name, type, status, open date, close date, trust).
YEAR_SCHOOLS = {
    2018: [
        (990201, "Brookfield Primary School", "Community school", "Open", "", "", ""),
        (990202, "St Anne’s Catholic Primary School", "Voluntary aided school", "Open", "", "", ""),
        (990203, "Lugg Meadow Short Stay School", "Pupil referral unit", "Open", "01-09-1999", "", ""),
        (990204, "Hill Top Nursery School", "Local authority nursery school", "Closed", "",
         "31-08-2018", ""),
        (990205, "Croft Academy", "Academy converter", "Open", "01-04-2018", "", "Croft Trust"),
        (990206, "Orchard House School", "Other independent school", "Open", "01-01-1920", "", ""),
        (990207, "Ysgol Gynradd Example", "Welsh establishment", "Open", "", "", ""),
    ],
    2019: [
        (990201, "Brookfield Primary School", "Community school", "Open", "", "", ""),
        (990202, "St Anne’s Catholic Primary School", "Voluntary aided school",
         "Open, but proposed to close", "", "31-08-2019", ""),
        (990208, "Riverside Free School", "Free schools", "Proposed to open", "01-09-2019", "", ""),
        (990209, "Marches Technical College", "University technical college", "Open",
         "01-09-2016", "", "Marches UTC Trust"),
        (990210, "Wye Valley College", "Further education", "Open", "", "", ""),
        (990211, "Kingsland City Technology College", "City technology college", "Open", "", "", ""),
    ],
    2024: [
        (990301, "Brookfield Primary School", "Community school", "Open", "01-01-1900", "", ""),
        (990302, "Aconbury Special School", "Foundation special school", "Open", "", "", ""),
        (990303, "Wye Academy", "Academy sponsor led", "Open", "01-09-2016", "", "Wye Trust"),
        (990304, "Secure 16 to 19 Academy", "Academy secure 16 to 19", "Open", "01-04-2024", "",
         "Secure Schools Trust"),
        (990305, "Tutors Online", "Online provider", "Open", "", "", ""),
        (990306, "Hillside House", "Other independent special school", "Open", "", "", ""),
        (990307, "Riverbank Secure Unit", "Secure units", "Open", "", "", ""),
    ],
    2025: [
        (990401, "Brookfield Primary School", "Community school", "Open", "", "", ""),
        (990402, "Wye Academy", "Academy converter", "Open", "01-09-2016", "", "Wye Trust"),
        (990403, "Hovercraft Academy", "Academy of the future", "Open", "", "", ""),
    ],
}
# A type this tracker has never seen, in a known group (the 2025 file): code 99, Academies.
_TYPES["Academy of the future"] = ("99", "10")


def year_bytes(year: int, school) -> bytes:  # school: make_fixtures.school
    header = {2018: HEADER_2018, 2019: HEADER_2019, 2024: HEADER_2024, 2025: HEADER_2025}[year]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(header)
    for urn, name, kind, status, opened, closed, trust in YEAR_SCHOOLS[year]:
        type_code, group_code = _TYPES[kind]
        group = LA_MAINTAINED[year] if group_code == "4" else _GROUPS[group_code]
        values = school(urn, name, "Community school", status, "Primary", open_date=opened,
                        close_date=closed, trust=trust,
                        trust_code=f"1{urn % 10000:04d}" if trust else "")
        values.update({"TypeOfEstablishment (code)": type_code, "TypeOfEstablishment (name)": kind,
                       "EstablishmentTypeGroup (code)": group_code,
                       "EstablishmentTypeGroup (name)": group})
        writer.writerow(values.get(c, "") for c in header)
    return out.getvalue().encode("cp1252")


#: Rows of GIAS's links file of 22 April 2025 (links_edubasealldata20250422.csv, kept in
#: MastodonC/witan.gias), exactly as published: at least one of each of its 17 link types,
#: names with commas and accents, empty dates, Welsh URNs (4xxxxx). Windows-1252, CRLF.
LINKS_2025_ROWS = """\
"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"
100023,100024,"Torriano Infant School","Predecessor","15-09-2015"
100024,100023,"Torriano Primary School","Successor","15-09-2015"
100050,132838,"LaSWAP Sixth Form","Sixth Form Centre Link",""
100068,100071,"North Bridge Nursery School","Successor - amalgamated","01-09-2021"
100071,100068,"North Bridge House Nursery & Pre-Prep Schools","Predecessor - amalgamated","01-09-2021"
100103,100104,"Briset Centre","Predecessor",""
100103,100105,"Foxhill Centre","Predecessor",""
100103,100107,"Westcombe Centre","Predecessor",""
100103,100106,"Kings Park Centre","Predecessor",""
100104,100103,"Newhaven Pupil Referral Unit","Successor",""
100105,100103,"Newhaven Pupil Referral Unit","Successor",""
100106,100103,"Newhaven Pupil Referral Unit","Successor",""
100107,100103,"Newhaven Pupil Referral Unit","Successor",""
100460,143659,"City of London Academy, Highgate Hill","Successor","31-08-2017"
100472,100475,"Maxilla Nursery School","Predecessor - merged","16-06-2023"
100475,100472,"Golborne & Maxilla Nursery School","Successor - merged","16-06-2023"
101276,101277,"Edgware Primary School","Result of Amalgamation","31-08-2014"
101277,101276,"Edgware Junior School","Result of Amalgamation","01-09-2014"
102200,102215,"Weald Rise Primary School","Merged - expansion in school capacity and changer in age range","01-04-2015"
102215,102200,"Weald Junior School","Merged - expansion in school capacity and changer in age range","01-04-2015"
104303,104307,"Springdale Infant School","Merged - change in age range","01-01-2018"
104307,104303,"Springdale Primary School","Merged - change in age range","31-12-2017"
107615,107755,"Royds Hall Community School","Other","01-03-2015"
107755,107615,"Paddock Junior Infant and Nursery School","Other","01-03-2015"
108299,138950,"St Thomas à Becket Catholic Secondary School, A Voluntary Academy","Successor","31-10-2012"
110775,136931,"King's Hedges Nursery School","Successor - Split School","31-08-2011"
112445,121739,"Sedbergh Junior School","Closure","20-09-2013"
130490,135387,"South Sefton College","Merged - expansion of school capacity","01-12-2017"
131441,133660,"Brent River College","Expansion","21-10-2014"
132838,100050,"Parliament Hill School","Sixth Form Centre School",""
133660,131441,"Poplar Grove School","Expansion","21-10-2014"
135387,130490,"Hugh Baird College","Merged - expansion of school capacity","01-12-2017"
136931,110775,"Kings Hedges Primary School","Predecessor - Split School","01-09-2011"
138950,108299,"St Thomas A Becket Catholic College Specialist Status In Humanities: With Autism Resource","Predecessor","01-11-2012"
143659,100460,"Mount Carmel Catholic College for Girls","Predecessor","01-09-2017"
400018,402307,"Cwmbach Community Primary","Successor","31-08-2012"
400031,402459,"Newport Nursery School","Successor - amalgamated","31-08-2021"
400033,402459,"Newport Nursery School","Successor - amalgamated","31-08-2021"
402307,400018,"Cwmbach Nursery School","Predecessor","01-09-2012"
402459,400033,"Fairoak Nursery School","Predecessor - amalgamated","31-08-2021"
402459,400031,"Kimberley Nursery School","Predecessor - amalgamated","31-08-2021"
"""


def links_2025_bytes() -> bytes:
    return LINKS_2025_ROWS.replace("\n", "\r\n").encode("cp1252")


#: A chosen-fields extract as GIAS's "select the fields" download gives it: only the
#: columns chosen (here no type group, no trust, no postcode), dates re-saved by Excel as
#: DD/MM/YYYY, GIAS's 01/01/1900 for an unknown date, UTF-8 with a byte-order mark.
CHOSEN_FIELDS_HEADER = ("URN", "EstablishmentName", "LA (code)", "LA (name)",
                        "TypeOfEstablishment (name)", "EstablishmentStatus (name)",
                        "PhaseOfEducation (name)", "OpenDate", "CloseDate")
CHOSEN_FIELDS_ROWS = [
    ("990003", "Lugwardine Primary Academy", "884", "Herefordshire, County of",
     "Academy converter", "Open", "Primary", "01/09/2014", ""),
    ("990004", "Lugwardine Primary School", "884", "Herefordshire, County of",
     "Community school", "Closed", "Primary", "01/01/1900", "31/08/2014"),
    ("990501", "Hampton Dene Primary School", "884", "Herefordshire, County of",
     "Community school", "Open", "Primary", "01/01/1900", ""),
    ("990502", "Wormside House School", "884", "Herefordshire, County of",
     "Other independent school", "Open", "Not applicable", "15/01/1998", ""),
]


def chosen_fields_bytes() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CHOSEN_FIELDS_HEADER)
    writer.writerows(CHOSEN_FIELDS_ROWS)
    return out.getvalue().encode("utf-8-sig")
