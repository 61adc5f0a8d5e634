"""The commit's writer: rows go in column by column, their IDs are known before the server has stored them, and a
row the server refuses fails the write instead of being lost silently."""

import datetime

import psycopg
import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from audits.models import StateChange, Subject
from imports.services.commit import Writer
from imports.services.copy_text import Same

pytestmark = pytest.mark.django_db(transaction=True)

AT = datetime.datetime(2026, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)


def history_columns(states: list) -> dict:
    return {"subject": Same(Subject.FINDING), "object_id": list(range(1, len(states) + 1)), "from_state": Same(""),
            "to_state": states, "actor_kind": Same(""), "at": Same(AT)}


def test_the_ids_given_to_the_body_are_the_rows_stored_in_order():
    states = [f"state-{n}" for n in range(25_000)]  # several blocks of COPY text
    with transaction.atomic():
        with Writer().copying(StateChange, history_columns(states)) as ids:
            seen_in_body = list(ids)
        stored = list(StateChange.objects.order_by("id").values_list("id", "to_state"))
    assert seen_in_body == [pk for pk, _state in stored]
    assert [state for _pk, state in stored] == states
    assert len(set(seen_in_body)) == len(states)


def test_a_row_the_server_refuses_fails_the_write_and_nothing_is_kept():
    states = ["recorded"] * 15_000 + [None] + ["recorded"] * 10  # to_state is NOT NULL
    with pytest.raises((IntegrityError, DatabaseError, psycopg.IntegrityError)), transaction.atomic():
        with Writer().copying(StateChange, history_columns(states)):
            pass
    assert not StateChange.objects.exists()


def test_an_error_in_the_body_leaves_nothing_written():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        with Writer().copying(StateChange, history_columns(["recorded"] * 100)):
            1 / 0  # noqa: B018  (the body fails while the server may still be storing rows)
    assert not StateChange.objects.exists()


def test_rows_formatted_inside_the_block_are_written_by_send_after_it():
    writer = Writer()
    with transaction.atomic():
        with writer.copying(StateChange, history_columns(["first"] * 3)) as first_ids:
            later = writer.formatted(StateChange, history_columns([f"later-{n}" for n in range(12_000)]))
        writer.send(later)
        states = list(StateChange.objects.order_by("id").values_list("to_state", flat=True))
    assert states == ["first"] * 3 + [f"later-{n}" for n in range(12_000)]
    assert writer.written == 12_003
    assert len(first_ids) == 3


def test_a_query_from_the_block_fails_at_once_instead_of_waiting_for_the_copy():
    if connection.vendor != "postgresql":
        pytest.skip("only a COPY holds the connection")
    with pytest.raises(RuntimeError, match="while a COPY holds the connection"), transaction.atomic():
        with Writer().copying(StateChange, history_columns(["recorded"] * 10)):
            StateChange.objects.count()
    assert not StateChange.objects.exists()


def test_a_query_from_progress_fails_at_once_instead_of_waiting_for_the_copy():
    # a job's progress goes to its row when no transaction is open, which must not happen during a COPY
    if connection.vendor != "postgresql":
        pytest.skip("only a COPY holds the connection")

    class RowProgress:
        def advance(self, count):
            StateChange.objects.exists()

    with pytest.raises(RuntimeError, match="while a COPY holds the connection"):
        Writer(progress=RowProgress()).copy(StateChange, history_columns(["recorded"] * 10))
