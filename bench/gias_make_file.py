"""Write an invented GIAS ``edubasealldata`` CSV for benchmarking the reader.

    .venv/bin/python bench/gias_make_file.py PATH [--rows 50000] [--encoding cp1252] [--seed 1]

The file has GIAS's full 139-column layout (tracker.schools.gias.EDUBASE_COLUMNS)
and quoting (header and text quoted, whole numbers bare), CRLF line ends,
and realistic but invented values: about 150 English local authorities
(Herefordshire, 884, among them), GIAS's establishment types in roughly
their real proportions, about 40% closed, trusts for academies and free
schools, a few curly apostrophes and accents, commas and quotes inside
names, and now and then a line break inside an address.  No real person is
named: head teachers are "Mrs Example" and the like.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.schools.gias import EDUBASE_COLUMNS  # noqa: E402

LAS = [
    ("201", "City of London"), ("202", "Camden"), ("203", "Greenwich"), ("204", "Hackney"),
    ("205", "Hammersmith and Fulham"), ("206", "Islington"), ("207", "Kensington and Chelsea"),
    ("208", "Lambeth"), ("209", "Lewisham"), ("210", "Southwark"), ("211", "Tower Hamlets"),
    ("212", "Wandsworth"), ("213", "Westminster"), ("301", "Barking and Dagenham"), ("302", "Barnet"),
    ("303", "Bexley"), ("304", "Brent"), ("305", "Bromley"), ("306", "Croydon"), ("307", "Ealing"),
    ("308", "Enfield"), ("309", "Haringey"), ("310", "Harrow"), ("311", "Havering"),
    ("312", "Hillingdon"), ("313", "Hounslow"), ("314", "Kingston upon Thames"), ("315", "Merton"),
    ("316", "Newham"), ("317", "Redbridge"), ("318", "Richmond upon Thames"), ("319", "Sutton"),
    ("320", "Waltham Forest"), ("330", "Birmingham"), ("331", "Coventry"), ("332", "Dudley"),
    ("333", "Sandwell"), ("334", "Solihull"), ("335", "Walsall"), ("336", "Wolverhampton"),
    ("340", "Knowsley"), ("341", "Liverpool"), ("342", "St. Helens"), ("343", "Sefton"),
    ("344", "Wirral"), ("350", "Bolton"), ("351", "Bury"), ("352", "Manchester"), ("353", "Oldham"),
    ("354", "Rochdale"), ("355", "Salford"), ("356", "Stockport"), ("357", "Tameside"),
    ("358", "Trafford"), ("359", "Wigan"), ("370", "Barnsley"), ("371", "Doncaster"),
    ("372", "Rotherham"), ("373", "Sheffield"), ("380", "Bradford"), ("381", "Calderdale"),
    ("382", "Kirklees"), ("383", "Leeds"), ("384", "Wakefield"), ("390", "Gateshead"),
    ("391", "Newcastle upon Tyne"), ("392", "North Tyneside"), ("393", "South Tyneside"),
    ("394", "Sunderland"), ("420", "Isles of Scilly"), ("800", "Bath and North East Somerset"),
    ("801", "Bristol, City of"), ("802", "North Somerset"), ("803", "South Gloucestershire"),
    ("805", "Hartlepool"), ("806", "Middlesbrough"), ("807", "Redcar and Cleveland"),
    ("808", "Stockton-on-Tees"), ("810", "Kingston upon Hull, City of"),
    ("811", "East Riding of Yorkshire"), ("812", "North East Lincolnshire"),
    ("813", "North Lincolnshire"), ("815", "North Yorkshire"), ("816", "York"), ("821", "Luton"),
    ("822", "Bedford"), ("823", "Central Bedfordshire"), ("825", "Buckinghamshire"),
    ("826", "Milton Keynes"), ("830", "Derbyshire"), ("831", "Derby"), ("838", "Dorset"),
    ("839", "Bournemouth, Christchurch and Poole"), ("840", "County Durham"), ("841", "Darlington"),
    ("845", "East Sussex"), ("846", "Brighton and Hove"), ("850", "Hampshire"), ("851", "Portsmouth"),
    ("852", "Southampton"), ("855", "Leicestershire"), ("856", "Leicester"), ("857", "Rutland"),
    ("860", "Staffordshire"), ("861", "Stoke-on-Trent"), ("865", "Wiltshire"), ("866", "Swindon"),
    ("867", "Bracknell Forest"), ("868", "Windsor and Maidenhead"), ("869", "West Berkshire"),
    ("870", "Reading"), ("871", "Slough"), ("872", "Wokingham"), ("873", "Cambridgeshire"),
    ("874", "Peterborough"), ("876", "Halton"), ("877", "Warrington"), ("878", "Devon"),
    ("879", "Plymouth"), ("880", "Torbay"), ("881", "Essex"), ("882", "Southend-on-Sea"),
    ("883", "Thurrock"), ("884", "Herefordshire, County of"), ("885", "Worcestershire"),
    ("886", "Kent"), ("887", "Medway"), ("888", "Lancashire"), ("889", "Blackburn with Darwen"),
    ("890", "Blackpool"), ("891", "Nottinghamshire"), ("892", "Nottingham"), ("893", "Shropshire"),
    ("894", "Telford and Wrekin"), ("895", "Cheshire East"), ("896", "Cheshire West and Chester"),
    ("908", "Cornwall"), ("916", "Gloucestershire"), ("919", "Hertfordshire"),
    ("921", "Isle of Wight"), ("925", "Lincolnshire"), ("926", "Norfolk"), ("929", "Northumberland"),
    ("931", "Oxfordshire"), ("933", "Somerset"), ("935", "Suffolk"), ("936", "Surrey"),
    ("937", "Warwickshire"), ("938", "West Sussex"), ("940", "North Northamptonshire"),
    ("941", "West Northamptonshire"), ("942", "Cumberland"), ("943", "Westmorland and Furness"),
]

# (type code, type name, group code, group name, weight, phases, ages)
TYPES = [
    ("01", "Community school", "4", "Local authority maintained schools", 300,
     ["Primary", "Primary", "Primary", "Secondary", "Middle deemed primary"], (4, 11)),
    ("02", "Voluntary aided school", "4", "Local authority maintained schools", 90, ["Primary", "Secondary"], (4, 11)),
    ("03", "Voluntary controlled school", "4", "Local authority maintained schools", 80, ["Primary"], (4, 11)),
    ("05", "Foundation school", "4", "Local authority maintained schools", 40, ["Primary", "Secondary"], (11, 16)),
    ("07", "Community special school", "5", "Special schools", 25, ["Not applicable"], (2, 19)),
    ("08", "Non-maintained special school", "5", "Special schools", 5, ["Not applicable"], (5, 19)),
    ("10", "Other independent special school", "5", "Special schools", 15, ["Not applicable"], (7, 19)),
    ("11", "Other independent school", "3", "Independent schools", 70, ["Not applicable"], (3, 18)),
    ("12", "Foundation special school", "5", "Special schools", 3, ["Not applicable"], (2, 19)),
    ("14", "Pupil referral unit", "4", "Local authority maintained schools", 8, ["Not applicable"], (5, 16)),
    ("15", "Local authority nursery school", "4", "Local authority maintained schools", 10, ["Nursery"], (2, 5)),
    ("18", "Further education", "1", "Colleges", 12, ["16 plus"], (16, 99)),
    ("24", "Secure units", "9", "Other types", 1, ["Not applicable"], (10, 17)),
    ("26", "Service children's education", "9", "Other types", 1, ["Primary"], (4, 11)),
    ("28", "Academy sponsor led", "10", "Academies", 50, ["Primary", "Secondary"], (4, 11)),
    ("29", "Higher education institutions", "2", "Universities", 2, ["Not applicable"], (18, 99)),
    ("30", "Welsh establishment", "6", "Welsh schools", 20, ["Primary", "Secondary"], (4, 11)),
    ("33", "Academy special sponsor led", "10", "Academies", 3, ["Not applicable"], (3, 19)),
    ("34", "Academy converter", "10", "Academies", 160, ["Primary", "Secondary", "All-through"], (4, 11)),
    ("35", "Free schools", "11", "Free Schools", 15, ["Primary", "Secondary", "All-through"], (4, 18)),
    ("36", "Free schools special", "11", "Free Schools", 3, ["Not applicable"], (4, 19)),
    ("37", "British schools overseas", "9", "Other types", 1, ["Not applicable"], (3, 18)),
    ("38", "Free schools alternative provision", "11", "Free Schools", 1, ["Not applicable"], (11, 16)),
    ("39", "Free schools 16 to 19", "11", "Free Schools", 1, ["16 plus"], (16, 19)),
    ("40", "University technical college", "11", "Free Schools", 1, ["Secondary"], (14, 19)),
    ("41", "Studio schools", "11", "Free Schools", 1, ["Secondary"], (14, 19)),
    ("42", "Academy alternative provision converter", "10", "Academies", 1, ["Not applicable"], (11, 16)),
    ("44", "Academy special converter", "10", "Academies", 6, ["Not applicable"], (2, 19)),
    ("45", "Academy 16-19 converter", "10", "Academies", 2, ["16 plus"], (16, 19)),
    ("49", "Online provider", "13", "Online provider", 1, ["Not applicable"], (11, 18)),
]
PHASE_CODES = {"Not applicable": "0", "Nursery": "1", "Primary": "2", "Middle deemed primary": "3",
               "Secondary": "4", "16 plus": "6", "All-through": "7"}
STATUSES = [("1", "Open", 58), ("2", "Closed", 40), ("3", "Open, but proposed to close", 1),
            ("4", "Proposed to open", 1)]
WHOLE_NUMBERS = {"URN", "StatutoryLowAge", "StatutoryHighAge", "SchoolCapacity", "UKPRN",
                 "Easting", "Northing", "SENStat", "SENNoStat"}

PLACES = ["Ashfield", "Brookside", "Castle Hill", "Dene Park", "Eastwood", "Fairfield", "Greenbank",
          "Hillcrest", "Ivy Lane", "Kingsmead", "Larkrise", "Meadowbank", "Northfield", "Oakwood",
          "Parkside", "Queensway", "Riverside", "Southgate", "Thornbury", "Upton", "Valley Road",
          "Westfield", "Yew Tree", "Whitecross", "Lugwardine", "Kingstone", "Weobley", "Bredon",
          "Orleton", "Clehonger", "Marden", "Canon Pyon", "Much Birch", "Fownhope"]
SAINTS = ["St Mary’s", "St John’s", "St Peter’s", "St Francis Xavier’s", "Holy Trinity", "All Saints’",
          "St Thomas à Becket", "Our Lady’s", "St Michael’s", "Christ Church"]
STREETS = ["School Lane", "Church Road", "Station Road", "Mill Lane", "High Street", "Park Avenue",
           "Green Lane", "The Crescent", "Manor Road", "Victoria Road"]
TRUSTS = [f"{p} {kind}" for p in PLACES[:20]
          for kind in ("Learning Trust", "Academy Trust", "Schools Partnership", "Education Trust")]


def name_for(rng: random.Random, type_name: str, phase: str) -> str:
    place = rng.choice(PLACES)
    if type_name == "Further education":
        return f"{place} College"
    if type_name == "Pupil referral unit":
        return f"{place} Pupil Referral Unit"
    if "special" in type_name.lower():
        return f"{place} School"
    if type_name == "Other independent school":
        return rng.choice([f"{place} House School", f"{place} Preparatory School", f"The {place} School"])
    if type_name == "Local authority nursery school":
        return f"{place} Nursery School"
    prefix = rng.choice(SAINTS) + " " if rng.random() < 0.2 else ""
    kind = {"Primary": "Primary School", "Secondary": "High School", "All-through": "All-through School",
            "Middle deemed primary": "Middle School", "16 plus": "Sixth Form College"}.get(phase, "School")
    if "Academy" in type_name and rng.random() < 0.5:
        kind = kind.replace("School", "Academy")
    name = f"{prefix}{place} {kind}"
    roll = rng.random()
    if roll < 0.01:
        name = f"{place}, {rng.choice(PLACES)} {kind}"  # comma inside the name
    elif roll < 0.012:
        name = f'{place} "Outdoor" {kind}'  # quotes inside the name
    elif roll < 0.014:
        name = name.replace("School", "École")
    return name


def gias_date(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def make_row(rng: random.Random, urn: int, type_weights: list[int], status_weights: list[int]) -> list[object]:
    code, la_name = rng.choice(LAS)
    t_code, t_name, g_code, g_name, _, phases, (low, high) = rng.choices(TYPES, type_weights)[0]
    phase = rng.choice(phases)
    if phase == "Secondary":
        low, high = 11, rng.choice([16, 18])
    s_code, s_name, _ = rng.choices(STATUSES, status_weights)[0]
    academy = g_name in ("Academies", "Free Schools")
    open_date = ""
    close_date = ""
    if academy or rng.random() < 0.15:
        open_date = gias_date(date(2010, 9, 1) + timedelta(days=rng.randrange(5000)))
    if s_code in ("2", "3"):
        close_date = gias_date(date(2000, 8, 31) + timedelta(days=rng.randrange(9500)))
    if s_code == "4":
        open_date = gias_date(date(2026, 9, 1))
    trust_code = trust_name = ""
    if academy or (g_code == "4" and rng.random() < 0.08):
        trust_index = rng.randrange(len(TRUSTS))
        trust_code, trust_name = str(15000 + trust_index), TRUSTS[trust_index]
    capacity = rng.choice([30, 60, 90, 105, 210, 315, 420, 630, 900, 1200, 1500])
    pupils = int(capacity * rng.uniform(0.6, 1.05))
    boys = pupils // 2 + rng.randrange(-10, 10) if pupils > 20 else pupils
    open_now = s_code != "2"
    street = rng.choice(STREETS)
    if rng.random() < 0.0005:
        street += "\r\nOld Site"  # a line break inside an address
    town = rng.choice(PLACES)
    pc_area = "HR" if code == "884" else rng.choice(["B", "M", "LS", "NE", "BS", "CB", "OX", "TR", "NR", "WR"])
    values = {c: "" for c in EDUBASE_COLUMNS}
    values.update({
        "URN": urn,
        "LA (code)": code,
        "LA (name)": la_name,
        "EstablishmentNumber": str(rng.randrange(1000, 7999)),
        "EstablishmentName": name_for(rng, t_name, phase),
        "TypeOfEstablishment (code)": t_code,
        "TypeOfEstablishment (name)": t_name,
        "EstablishmentTypeGroup (code)": g_code,
        "EstablishmentTypeGroup (name)": g_name,
        "EstablishmentStatus (code)": s_code,
        "EstablishmentStatus (name)": s_name,
        "ReasonEstablishmentOpened (code)": "10" if t_name == "Academy converter" else "00",
        "ReasonEstablishmentOpened (name)": "Academy Converter" if t_name == "Academy converter" else "Not applicable",
        "OpenDate": open_date,
        "ReasonEstablishmentClosed (code)": "10" if close_date else "00",
        "ReasonEstablishmentClosed (name)": "Academy Converter" if close_date else "Not applicable",
        "CloseDate": close_date,
        "PhaseOfEducation (code)": PHASE_CODES[phase],
        "PhaseOfEducation (name)": phase,
        "StatutoryLowAge": low,
        "StatutoryHighAge": high,
        "Boarders (code)": "1",
        "Boarders (name)": "No boarders",
        "NurseryProvision (name)": rng.choice(["Has Nursery Classes", "No Nursery Classes"]),
        "OfficialSixthForm (code)": "1" if high >= 18 else "2",
        "OfficialSixthForm (name)": "Has a sixth form" if high >= 18 else "Does not have a sixth form",
        "Gender (code)": "3",
        "Gender (name)": "Mixed",
        "ReligiousCharacter (code)": "00",
        "ReligiousCharacter (name)": "Does not apply",
        "ReligiousEthos (name)": "Does not apply",
        "Diocese (code)": "0000",
        "Diocese (name)": "Not applicable",
        "AdmissionsPolicy (code)": "0",
        "AdmissionsPolicy (name)": "Not applicable",
        "SchoolCapacity": capacity,
        "SpecialClasses (code)": "2",
        "SpecialClasses (name)": "No Special Classes",
        "CensusDate": "18-01-2024" if open_now else "",
        "NumberOfPupils": str(pupils) if open_now else "",
        "NumberOfBoys": str(boys) if open_now else "",
        "NumberOfGirls": str(pupils - boys) if open_now else "",
        "PercentageFSM": f"{rng.uniform(2, 55):.1f}" if open_now else "",
        "TrustSchoolFlag (code)": "5" if trust_code else "0",
        "TrustSchoolFlag (name)": "Supported by a multi-academy trust" if trust_code else "Not applicable",
        "Trusts (code)": trust_code,
        "Trusts (name)": trust_name,
        "SchoolSponsorFlag (name)": "Not applicable",
        "FederationFlag (name)": "Not under a federation",
        "UKPRN": 10000000 + rng.randrange(99999) if open_now else "",
        "FurtherEducationType (name)": "Not applicable",
        "OfstedLastInsp": gias_date(date(2016, 1, 1) + timedelta(days=rng.randrange(3000))) if open_now else "",
        "OfstedSpecialMeasures (code)": "0",
        "OfstedSpecialMeasures (name)": "Not applicable",
        "LastChangedDate": gias_date(date(2024, 1, 1) + timedelta(days=rng.randrange(190))),
        "Street": street,
        "Locality": rng.choice(["", "", rng.choice(PLACES)]),
        "Town": town,
        "County (name)": "",
        "Postcode": f"{pc_area}{rng.randrange(1, 30)} {rng.randrange(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        "SchoolWebsite": f"www.{town.lower().replace(' ', '')}-school.example" if open_now else "",
        "TelephoneNum": f"01{rng.randrange(100000000, 999999999)}" if open_now else "",
        "HeadTitle (name)": rng.choice(["Mrs", "Mr", "Ms", "Dr", "Miss"]) if open_now else "",
        "HeadFirstName": "",
        "HeadLastName": "Example" if open_now else "",
        "HeadPreferredJobTitle": "Headteacher" if open_now else "",
        "BSOInspectorateName (name)": "Not applicable",
        "TeenMoth (name)": "Not applicable",
        "CCF (name)": "Not applicable",
        "SENPRU (name)": "Not applicable",
        "EBD (name)": "Not applicable",
        "EdByOther (name)": "Not applicable",
        "Section41Approved (name)": "Not applicable",
        "TypeOfResourcedProvision (name)": "Not applicable",
        "GOR (code)": "F" if code == "884" else "",
        "GOR (name)": "West Midlands" if code == "884" else "",
        "UrbanRural (code)": "C1",
        "UrbanRural (name)": "(England/Wales) Urban city and town",
        "Easting": rng.randrange(100000, 650000),
        "Northing": rng.randrange(10000, 650000),
        "PreviousLA (code)": "999",
        "QABName (code)": "0",
        "QABName (name)": "Not applicable",
        "EstablishmentAccredited (code)": "0",
        "EstablishmentAccredited (name)": "Not applicable",
        "FSM": str(rng.randrange(0, 400)) if open_now else "",
    })
    return [values[c] if c in WHOLE_NUMBERS else str(values[c]) for c in EDUBASE_COLUMNS]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--encoding", default="cp1252", choices=["cp1252", "utf-8", "utf-8-sig"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    type_weights = [t[4] for t in TYPES]
    status_weights = [s[2] for s in STATUSES]
    started = time.perf_counter()
    with args.path.open("w", encoding=args.encoding, newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        writer.writerow(EDUBASE_COLUMNS)
        for urn in range(100000, 100000 + args.rows):
            writer.writerow(make_row(rng, urn, type_weights, status_weights))
    size = args.path.stat().st_size
    print(f"wrote {args.rows} rows, {size / 1e6:.1f} MB ({args.encoding}) to {args.path} "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
