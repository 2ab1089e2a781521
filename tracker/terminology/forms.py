"""The terminology rule form: the words, and the decision or national guidance that set them."""
from __future__ import annotations

from typing import Any, Sequence

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField, SelectField
from wtforms.validators import Optional

from tracker.params import parse_int
from tracker.decisions.forms import decision_words, options
from tracker.forms import (
    DataRequired, GovSelect, VersionedForm, WarnedForm, http_url, long_text, text,
)


class RuleForm(VersionedForm, WarnedForm):
    term = text("Words not to use", required="Enter the words not to use",
                hint="For example, alleged victim")
    replacement = text("Words to use instead", required="Enter the words to use instead",
                       hint="For example, victim")
    explanation = long_text("Explanation (optional)", max_length=2000,
                            hint="What the source says, in a sentence")
    source_kind = RadioField("Who set this rule", widget=GovRadioInput(),
                             choices=options([("decision", "A decision in the tracker"),
                                              ("national_guidance", "National guidance")]),
                             validators=[DataRequired(message="Choose who set this rule")])
    decision_id = SelectField("Decision", choices=options([("", "Choose a decision")]), default="",
                              widget=GovSelect(), validators=[Optional()],
                              description="Only if a decision set the rule")
    source_title = text("Where in the source (or the guidance's title)", max_length=300,
                        hint="For example, Decision I50035813, part (a)(2), or Keeping "
                             "children safe in education (DfE)")
    source_url = http_url("Link to the national guidance",
                          hint="Only for national guidance, starting with https://")

    def __init__(self, *args: Any, decisions: Sequence[Any] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.decision_id.choices = options([("", "Choose a decision")] + [
            (str(d.id), decision_words(d))
            for d in decisions])

    def load(self, rule: Any) -> None:
        self.process(obj=rule)
        self.decision_id.data = str(rule.decision_id) if rule.decision_id else ""

    def validate(self, extra_validators: Any = None) -> bool:
        """The source each kind needs (checked here: optional fields skip inline checks)."""
        valid = super().validate(extra_validators)
        if self.source_kind.data == "decision" and not self.decision_id.data:
            self.decision_id.errors = list(self.decision_id.errors) + [
                "Choose the decision that set this rule"]
            valid = False
        if self.source_kind.data == "national_guidance" and not self.source_title.data:
            self.source_title.errors = list(self.source_title.errors) + [
                "Enter the title of the national guidance"]
            valid = False
        return valid

    def values(self) -> dict[str, Any]:
        decision = self.decision_id.data
        return {"term": " ".join((self.term.data or "").split()),
                "replacement": " ".join((self.replacement.data or "").split()),
                "explanation": self.explanation.data or None,
                "source_kind": self.source_kind.data,
                "decision_id": parse_int(decision, low=1),
                "source_title": self.source_title.data or None,
                "source_url": self.source_url.data or None}
