"""Every registered admin page refuses to add, change or delete (a state change there would have no history), except
Django's permission groups. The test enumerates the admin's registry, so a page registered later is checked too."""

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audits.models import EvidenceFile, Grievance, GrievanceState
from backend.accounts import invitations
from backend.models import AccountEvent, AccountEventKind, ApiToken, OutboxMessage, User
from imports.models import ImportJob, ImportProblem
from support.audits_world import people_of_every_kind, with_the_mill, with_work_on_the_mill

EDITABLE = {Group}  # who may open which admin page: the admin's own business


@pytest.fixture
def every_kind_of_record(make_org, make_user):
    """At least one record of every registered model: the audits world (tests/support/audits_world.py), plus an
    evidence file, an import job and its problem, a token and an outbox message."""
    w = with_work_on_the_mill(with_the_mill(people_of_every_kind(make_org, make_user)))
    EvidenceFile.objects.create(finding=w.objects["finding"], file="evidence/x.pdf", original_name="x.pdf",
                                content_type="application/pdf", size=3)
    job = ImportJob.objects.create(organization=w.orgs["w"], kind="grievances", file="imports/x.csv",
                                   original_name="x.csv", size=3, sha256="0" * 64)
    ImportProblem.objects.create(job=job, row=2, column="Reporter", code="required", message="missing")
    ApiToken.issue(w.users["a"], "admin test")
    invitations.issue(w.users["a"], invited_by=None)
    AccountEvent.objects.create(organization=w.orgs["w"], kind=AccountEventKind.ROLE_CHANGED, detail={"new_role": "admin"})
    OutboxMessage.objects.create(task="backend.tasks.sweep_outbox", available_at=timezone.now())
    Group.objects.create(name="support")
    return w


@pytest.fixture
def staff(db):
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "not-used"))
    return client


def form_value(value):
    if value is None:
        return ""
    if isinstance(value, FieldFile):
        return value.name
    return json.dumps(value) if isinstance(value, dict) else value


def form_data(record) -> dict:
    """The record's own values as a change form would post them."""
    return {name: form_value(value) for name, value in model_to_dict(record).items()}


READ_ONLY = [model for model in admin.site._registry if model not in EDITABLE]


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model._meta.label)
def test_every_admin_page_refuses_to_add_change_or_delete(model, every_kind_of_record, staff):
    record = model._default_manager.order_by("pk").first()
    assert record is not None, f"build a {model._meta.label} in every_kind_of_record"
    before = model_to_dict(record)
    info = (model._meta.app_label, model._meta.model_name)

    assert staff.get(reverse("admin:%s_%s_change" % info, args=[record.pk])).status_code == 200
    assert staff.post(reverse("admin:%s_%s_change" % info, args=[record.pk]), form_data(record)).status_code == 403
    assert staff.post(reverse("admin:%s_%s_delete" % info, args=[record.pk]), {"post": "yes"}).status_code == 403
    assert staff.get(reverse("admin:%s_%s_add" % info)).status_code == 403
    record.refresh_from_db()
    assert model_to_dict(record) == before


def test_a_grievance_state_cannot_be_changed_in_the_admin(every_kind_of_record, staff):
    grievance = every_kind_of_record.objects["grievance"]
    data = {**form_data(grievance), "state": GrievanceState.CLOSED}
    response = staff.post(reverse("admin:audits_grievance_change", args=[grievance.pk]), data)
    assert response.status_code == 403
    assert Grievance.objects.get(pk=grievance.pk).state == GrievanceState.ACKNOWLEDGED


def test_the_sensitive_models_have_read_only_pages():
    """What the issue names: grievances, routings, history, referrals, actions, findings, evidence, import jobs and
    problems, tokens, the outbox."""
    registered = {model._meta.label for model in READ_ONLY}
    assert registered >= {
        "audits.Grievance", "audits.GrievanceRouting", "audits.StateChange", "audits.Referral",
        "audits.CorrectiveAction", "audits.Finding", "audits.EvidenceFile", "imports.ImportJob",
        "imports.ImportProblem", "backend.ApiToken", "backend.OutboxMessage",
    }
