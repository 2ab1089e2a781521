"""What a reading means for the tracker: exemption classes, what a part does, and limits on
what the preview offers."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.decisions.conftest import confirm, page_text, preview
from tracker.decisions.importing import MAX_ASSIGNABLE, exemption_code, guess_kind
from tracker.models import Decision, Document


@pytest.mark.parametrize("text,code", [
    ("Open", "open"),
    ("open", "open"),
    ("Public", "open"),
    ("Exempt - paragraph 3 of Schedule 12A", "para_3"),
    ("Exempt under para. 1", "para_1"),
    ("Fully exempt (paragraph 7)", "para_7"),
    ("Exempt", None),             # which paragraph? the user chooses
    ("Part exempt", None),
    ("Exempt - paragraph 9", None),  # there are only seven
    ("Confidential", None),
    (None, None),
])
def test_exemption_class(text, code):
    assert exemption_code(text) == code


@pytest.mark.parametrize("text,kind", [
    ("The executive note the contents and recommendations set out in the report and agree the "
     "recommendations set out in paragraph 3 of appendix 1;", "agree_recommendations"),
    ("The executive approves the executive response to the scrutiny committee's "
     "recommendations set out in appendix 5 as amended;", "approve_response"),
    ("The executive approves the peer on peer model guidance set out in appendix 6;",
     "approve_guidance"),
    ("The children and young people's scrutiny committee be asked to review barriers to record "
     "keeping.", "referral"),
    ("The report be noted.", "note"),
])
def test_what_a_part_does_is_guessed_from_its_words(text, kind):
    assert guess_kind(text) == kind


def test_the_preview_offers_a_limited_number_of_unplaced_items(admin, db_session):
    strays = "\n".join(f"stray line {i}" for i in range(MAX_ASSIGNABLE + 40))
    text = ("Title: Many strays\nDecision maker: Cabinet\nDate of decision: 1 March 2021\n"
            "Report exemption class: Open\n" + strays + "\n")
    shown = preview(admin, text)
    body = shown.get_data(as_text=True)
    assert f'name="assign-{MAX_ASSIGNABLE - 1}"' in body
    assert f'name="assign-{MAX_ASSIGNABLE}"' not in body
    assert "And 40 more items the reader could not place." in page_text(shown)
    assert confirm(admin, body).status_code == 302
    decision = db_session.scalars(sa.select(Decision)).one()
    assert decision.notice_text == text  # everything is still kept with the decision


def test_documents_beyond_the_limit_are_not_created(admin, db_session):
    documents = "\n".join(f"Appendix {i} PDF 12 KB" for i in range(MAX_ASSIGNABLE + 5))
    text = ("Decision details\n\nMany documents\n\nDecision maker: Cabinet\n\n"
            "Date of decision: 1 March 2021\n\nReport exemption class: Open\n\n"
            "Accompanying Documents:\n\n" + documents + "\n")
    confirm(admin, preview(admin, text).get_data(as_text=True))
    assert db_session.scalar(sa.select(sa.func.count(Document.id))) == MAX_ASSIGNABLE
