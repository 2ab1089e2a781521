"""The one way a form is saved (tracker.saving.save_form): a refused field's message sits
next to it, or in the summary when the form has no such field; a stale edit is shown one way
(the message, then each change with before and after) and the form takes the current version."""
from __future__ import annotations

from tracker import audit
from tracker.forms import VersionedForm, text
from tracker.problems import FieldProblem
from tracker.saving import save_form


class TitleForm(VersionedForm):
    title = text("Title")


def _post(app, data, save):  # type: ignore[no-untyped-def]
    with app.test_request_context(method="POST", data=data):
        form = TitleForm(meta={"csrf": False})
        return form, save_form(form, None, lambda: save(form))


def test_a_refused_field_is_shown_next_to_it_or_in_the_summary(app, db_session):
    def refuse(form):  # type: ignore[no-untyped-def]
        raise FieldProblem({"title": "Choose another title", "elsewhere": "Not possible now"})

    form, outcome = _post(app, {"title": "Mine"}, refuse)
    assert not outcome.saved and outcome.stale is None
    assert form.title.errors == ["Choose another title"]
    assert form.form_errors == ["Not possible now"]


def test_a_stale_edit_is_shown_one_way(app, make, db_session):
    decision = make.decision(title="First title")
    loaded = decision.version_id
    audit.updated(decision, {"title": "Their title"}, "Edited elsewhere")
    form, outcome = _post(app, {"title": "My title", "version_id": str(loaded)},
                          lambda f: audit.updated(decision, {"title": f.title.data}, "Mine",
                                                  f.version_id.data))
    assert not outcome.saved and outcome.stale is not None
    assert form.form_errors == [
        "Someone else saved a change while you were editing (title). Your changes were not "
        "saved: check theirs and try again.",
        "Title is now “Their title” (was “First title”)"]
    assert form.version_id.data == decision.version_id != loaded
    assert decision.title == "Their title"


def test_a_form_saved_says_so(app, make, db_session):
    decision = make.decision(title="First title")
    form, outcome = _post(app, {"title": "New", "version_id": str(decision.version_id)},
                          lambda f: audit.updated(decision, {"title": f.title.data}, "Mine",
                                                  f.version_id.data))
    assert outcome.saved and not form.errors
    assert decision.title == "New"
