"""Time the rules of progress on a large decision and every school in a big county.

    .venv/bin/python bench/progress_rollup.py [--recommendations 200] [--actions 10]
        [--updates 20] [--schools 25000] [--repeat 5]

Builds seeded random facts (the same every run), then reports the best and median of
``--repeat`` runs for each step. Pure Python: no database, no Flask app.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.progress import (  # noqa: E402
    ACTION_STATUSES,
    ADOPTION_STATUSES,
    ENTERED_RAGS,
    ActionFact,
    AdoptionEventFact,
    RecommendationFact,
    ResponseFact,
    SchoolFact,
    SignOffFact,
    UpdateFact,
    adoption_figure,
    format_share,
    recommendation_state,
    rollup,
)
from tracker.progress_series import (  # noqa: E402
    actions_complete_by_week,
    adoption_by_phase,
    adoption_by_week,
)

START = datetime(2020, 12, 1, tzinfo=UTC)
TODAY = date(2022, 11, 30)
PHASES = ("Nursery", "Primary", "Middle", "Secondary", "All-through", "16 plus", None)


def moment(rnd: random.Random, days: int = 720) -> datetime:
    return START + timedelta(seconds=rnd.randrange(days * 86_400))


def build_recommendations(rnd: random.Random, recs: int, actions: int, updates: int):
    out = []
    for r in range(recs):
        acts = []
        for a in range(actions):
            ups = tuple(
                UpdateFact(moment(rnd), rnd.choice(ACTION_STATUSES),
                           rnd.choice((*ENTERED_RAGS, None)),
                           rnd.choice((None,) * 4 + (TODAY - timedelta(rnd.randrange(600)),)))
                for _ in range(updates)
            )
            acts.append(ActionFact(r * actions + a, rnd.randrange(40), moment(rnd, 60),
                                   TODAY - timedelta(rnd.randrange(600)), ups,
                                   moment(rnd) if rnd.random() < 0.02 else None))
        out.append(RecommendationFact(
            r, rnd.choice(("review", "scrutiny", "referral")), moment(rnd, 30), tuple(acts),
            tuple(ResponseFact(moment(rnd, 90), rnd.choice(("accepted", "partially_accepted",
                                                              "not_accepted")))
                  for _ in range(rnd.randrange(3))),
            SignOffFact(moment(rnd), "Cabinet", "42") if rnd.random() < 0.2 else None,
        ))
    return out


def build_schools(rnd: random.Random, n: int):
    return [
        SchoolFact(
            s, rnd.choice(PHASES), rnd.random() < 0.9, moment(rnd, 400),
            None if rnd.random() < 0.7 else date(2020, 9, 1) + timedelta(rnd.randrange(700)),
            moment(rnd) if rnd.random() < 0.05 else None,
            tuple(AdoptionEventFact(moment(rnd), rnd.choice(ADOPTION_STATUSES))
                  for _ in range(rnd.randrange(5))),
        )
        for s in range(n)
    ]


def timed(label: str, repeat: int, fn):
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - started)
    print(f"{label:<58} best {min(runs) * 1000:9.1f} ms   median "
          f"{statistics.median(runs) * 1000:9.1f} ms")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=200)
    parser.add_argument("--actions", type=int, default=10)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--schools", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rnd = random.Random(20201126)  # the date of the decision

    recs = build_recommendations(rnd, args.recommendations, args.actions, args.updates)
    schools = build_schools(rnd, args.schools)
    size = args.recommendations * args.actions * args.updates
    print(f"{args.recommendations} recommendations x {args.actions} actions x {args.updates} "
          f"updates ({size:,} updates); {args.schools:,} schools; Python "
          f"{sys.version.split()[0]}")
    as_at = date(2021, 12, 31)
    now = timed("recommendation states + roll-up, now", args.repeat,
                lambda: rollup(recommendation_state(r, today=TODAY) for r in recs))
    past = timed("recommendation states + roll-up, as at 31 Dec 2021", args.repeat,
                 lambda: rollup(recommendation_state(r, today=TODAY, as_at=as_at) for r in recs))
    timed("weekly share of actions complete, 52 weeks", max(1, args.repeat // 2),
          lambda: actions_complete_by_week(recs, start=date(2021, 12, 1), as_at=TODAY,
                                           today=TODAY))
    figure = timed(f"adoption figure, {args.schools:,} schools", args.repeat,
                   lambda: adoption_figure(schools, as_at=TODAY))
    timed("adoption by phase", args.repeat, lambda: adoption_by_phase(schools, TODAY))
    timed("weekly adoption share, 26 weeks", max(1, args.repeat // 2),
          lambda: adoption_by_week(schools, start=date(2022, 6, 1), as_at=TODAY))
    print(f"check: now {now.label}/{now.rag} {format_share(now.share)} of "
          f"{now.counted_actions:,} actions; as at {as_at}: {format_share(past.share)}; "
          f"adoption {figure.adopted:,}/{figure.in_scope_open:,} {format_share(figure.share)}")


if __name__ == "__main__":
    main()
