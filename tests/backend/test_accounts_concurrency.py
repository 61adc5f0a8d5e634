"""The last-admin rule holds under concurrency on PostgreSQL: of two transactions demoting (or deactivating) the
organization's last two admins at once, the second waits for the first and is refused."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from backend.accounts import people
from backend.models import Role, User

WAIT = 10  # seconds a thread waits for the other at most; the test fails rather than hang


def in_thread(work, outcome: dict, key: str, hold: threading.Event | None = None, changed=None):
    """Run `work()` in a transaction of its own connection; with `hold`, signal `changed` then keep the
    transaction open until `hold` is set."""

    def run():
        try:
            with transaction.atomic():
                work()
                if hold is not None:
                    changed.set()
                    assert hold.wait(WAIT)
            outcome[key] = "done"
        except ValidationError as error:
            outcome[key] = error.error_dict["id"][0].code
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


# serialized_rollback: its flush afterwards must not recreate the content types that later serialized tests restore
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("second", ["change_role", "deactivate"])
def test_two_concurrent_demotions_of_the_last_two_admins_cannot_both_pass(postgres, make_org, make_user, second):
    company = make_org("Company C")
    first_admin, second_admin = make_user(company, Role.ADMIN), User.objects.create_user(
        "second-admin", organization=company, role=Role.ADMIN)
    hold, changed, outcome = threading.Event(), threading.Event(), {}
    demote_second = {
        "change_role": lambda: people.change_role(None, second_admin, Role.VIEWER),
        "deactivate": lambda: people.deactivate(None, second_admin),
    }[second]

    first = in_thread(lambda: people.change_role(None, first_admin, Role.ANALYST), outcome, "first", hold, changed)
    assert changed.wait(WAIT)
    other = in_thread(demote_second, outcome, "second")
    other.join(0.5)
    waited = other.is_alive()  # blocked on the organization's lock while the first change is uncommitted
    hold.set()
    first.join(WAIT)
    other.join(WAIT)

    assert waited
    assert outcome == {"first": "done", "second": "last_admin"}
    admins = User.objects.filter(organization=company, role=Role.ADMIN, is_active=True)
    assert list(admins) == [second_admin]
