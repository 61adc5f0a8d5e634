"""The shared result shape of set-based operations: credits, refusals from ValidationErrors, a batch of one."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from backend.batch import BatchResult, Outcome, Refusal


def test_count_by_outcome_and_entity():
    result = BatchResult()
    result.credit(0, "site", Outcome.CREATED)
    result.credit(1, "site", Outcome.UNCHANGED)
    result.credit(1, "link", Outcome.CREATED)

    assert result.count(Outcome.CREATED) == 2
    assert result.count(Outcome.CREATED, "site") == 1
    assert result.count(Outcome.UPDATED) == 0


def test_refuse_error_keeps_field_code_and_formatted_message():
    result = BatchResult()
    result.refuse_error(3, ValidationError({
        "share": ValidationError("Share %(value)s is too high.", code="share_total", params={"value": 120}),
    }))
    result.refuse_error(4, ValidationError("Whole row is wrong."))

    assert result.refusals == [
        Refusal(3, "share", "share_total", "Share 120 is too high."),
        Refusal(4, None, "invalid", "Whole row is wrong."),
    ]
    assert result.refused_rows == {3, 4}


def test_raise_refused_gives_one_error_keyed_by_field():
    result = BatchResult()
    result.raise_refused()
    result.refuse(0, "name", "required", "Name is required.")
    result.refuse(0, None, "clash", "Clashes.")

    with pytest.raises(ValidationError) as raised:
        result.raise_refused()

    assert [e.code for e in raised.value.error_dict["name"]] == ["required"]
    assert [e.code for e in raised.value.error_dict[NON_FIELD_ERRORS]] == ["clash"]
