"""Corrective actions carry an intervention type (issue 16 §5): set when planned, read back, refused when unknown."""

import pytest
from django.core.exceptions import ValidationError

from audits.models import CorrectiveAction
from audits.services import remediation
from audits.taxonomy import InterventionType

CREATE = """mutation($input: CorrectiveActionInput!) { correctiveActionCreate(input: $input) {
  correctiveAction { id interventionType } errors { field code message } } }"""
ACTION = "query($id: ID!) { correctiveAction(id: $id) { interventionType } }"


def plan(world, **extra):
    return {"findingId": world.ids["finding"], "title": "Repay recruitment fees", **extra}


def test_a_company_plans_an_action_of_a_type_and_reads_it_back(api, full_world):
    # Given company A, which sees F's shared critical finding
    client = api(full_world.users["a"])

    # When A plans a recruitment-fee reimbursement
    created = client.data(CREATE, {"input": plan(full_world, interventionType="RECRUITMENT_FEE_REIMBURSEMENT")})

    # Then the action carries the type, in the API and in the row
    action = created["correctiveActionCreate"]["correctiveAction"]
    assert action["interventionType"] == "RECRUITMENT_FEE_REIMBURSEMENT"
    assert client.data(ACTION, {"id": action["id"]})["correctiveAction"] == {
        "interventionType": "RECRUITMENT_FEE_REIMBURSEMENT"}
    assert CorrectiveAction.objects.latest("pk").intervention_type == InterventionType.RECRUITMENT_FEE_REIMBURSEMENT


def test_an_action_planned_without_a_type_is_unclassified(api, full_world):
    created = api(full_world.users["a"]).data(CREATE, {"input": plan(full_world)})["correctiveActionCreate"]
    assert created["correctiveAction"]["interventionType"] is None


def test_an_unknown_type_is_refused_naming_the_field(full_world):
    with pytest.raises(ValidationError) as refused:
        remediation.create_action(full_world.viewer("a"), {"title": "Pay", "intervention_type": "prayer"},
                                  finding=full_world.objects["finding"])
    assert refused.value.message_dict == {"intervention_type": [
        "intervention_type must be one of: " + ", ".join(InterventionType.values) + "."]}
    assert not CorrectiveAction.objects.filter(title="Pay").exists()


def test_a_workers_organization_may_not_plan_an_action(api, full_world):
    result = api(full_world.users["w"])(CREATE, {"input": plan(full_world, interventionType="TRAINING")})
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert not CorrectiveAction.objects.filter(intervention_type="training").exists()


def test_a_company_may_not_plan_a_typed_action_on_a_finding_it_cannot_see(api, full_world):
    # Given company B, with which F shared nothing
    result = api(full_world.users["b"]).data(CREATE, {"input": plan(full_world, interventionType="TRAINING")})

    # Then the finding is not found and nothing is written
    errors = result["correctiveActionCreate"]["errors"]
    assert (errors[0]["field"], errors[0]["code"]) == ("findingId", "NOT_FOUND")
    assert not CorrectiveAction.objects.filter(intervention_type="training").exists()
