"""Suggested categories through the API: suggestIndicators, the suggestions of a grievance and of a finding (seen
only by those who already see the description, never holding the reporter), and the decisions recorded by
grievanceFile, findingCreate and findingUpdate when suggestions were shown."""

import pytest

import audits.suggestions as suggestions
from audits.models import Grievance, SuggestionDecision
from audits.services.suggestions import MAX_QUERY_TEXT
from support.audits_world import REPORTER_CONTACT, REPORTER_NAME

SUGGEST = """query($text: String!, $language: String) { suggestIndicators(text: $text, language: $language) {
  available suggestions { category categoryLabel confidence evidence { text start end } } } }"""
GRIEVANCE_SUGGESTIONS = """query($id: ID!) { grievance(id: $id) { description reporter { name }
  suggestions { available suggestions { category evidence { text } } } } }"""
FINDING_SUGGESTIONS = """query($id: ID!) { finding(id: $id) { suggestions { available suggestions { category } } } }"""
FILE = """mutation($site: ID!, $input: GrievanceInput!, $suggested: [FindingCategory!]) {
  grievanceFile(siteId: $site, input: $input, suggestedCategories: $suggested) { grievance { id } errors { field code } } }"""
FINDING_CREATE = """mutation($audit: ID!, $input: FindingInput!, $suggested: [FindingCategory!]) {
  findingCreate(auditId: $audit, input: $input, suggestedCategories: $suggested) { finding { id } errors { field code } } }"""
FINDING_UPDATE = """mutation($id: ID!, $input: FindingInput!, $suggested: [FindingCategory!]) {
  findingUpdate(id: $id, input: $input, suggestedCategories: $suggested) { finding { category } errors { field code } } }"""

PASSPORTS = "The supervisor keeps our passports in his office and threatens to call immigration."
GRIEVANCE = {"channel": "HOTLINE", "category": "RETENTION_OF_IDENTITY_DOCUMENTS", "description": PASSPORTS,
             "reporter": {"name": REPORTER_NAME, "contact": REPORTER_CONTACT}}


@pytest.mark.parametrize("user", ["a", "a_viewer", "f_viewer", "w", "w2_admin"])
def test_any_member_of_any_organization_gets_suggestions_for_a_text(api, people, user):
    result = api(people.users[user]).data(SUGGEST, {"text": PASSPORTS})["suggestIndicators"]
    assert result["available"] is True
    top_two = {s["category"]: s["categoryLabel"] for s in result["suggestions"][:2]}
    assert top_two == {"RETENTION_OF_IDENTITY_DOCUMENTS": "Retention of identity documents",
                       "INTIMIDATION_THREATS": "Intimidation and threats"}
    for suggestion in result["suggestions"]:
        for evidence in suggestion["evidence"]:
            assert PASSPORTS[evidence["start"]:evidence["end"]] == evidence["text"]


def test_an_anonymous_caller_gets_no_suggestions(api, people):
    result = api(None)(SUGGEST, {"text": PASSPORTS})
    assert not result.get("data") and result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("variables, code", [
    ({"text": "x" * (MAX_QUERY_TEXT + 1)}, "TOO_LONG"),
    ({"text": PASSPORTS, "language": "de"}, "INVALID"),
])
def test_a_text_too_long_or_an_unknown_language_is_refused(api, people, variables, code):
    result = api(people.users["w"])(SUGGEST, variables)
    assert result["data"] is None and result["errors"][0]["extensions"]["code"] == code


def test_when_the_suggester_cannot_load_the_query_says_so_and_filing_still_works(api, world, tmp_path, monkeypatch):
    # Given the suggester's data missing
    monkeypatch.setattr(suggestions, "DATA_DIR", tmp_path / "missing")
    workers = api(world.users["w"])
    # Then suggestions are unavailable, and a grievance is filed as always
    assert workers.data(SUGGEST, {"text": PASSPORTS})["suggestIndicators"] == {"available": False, "suggestions": []}
    filed = workers.data(FILE, {"site": world.ids["mill"], "input": GRIEVANCE})["grievanceFile"]
    assert filed["errors"] == []
    shown = workers.data(GRIEVANCE_SUGGESTIONS, {"id": filed["grievance"]["id"]})["grievance"]["suggestions"]
    assert shown == {"available": False, "suggestions": []}


def test_a_grievances_suggestions_are_seen_by_those_it_is_routed_to_and_no_one_else(api, world):
    # Given W's grievance about the mill, routed to A and C (not to B)
    filed = api(world.users["w"]).data(FILE, {"site": world.ids["mill"], "input": GRIEVANCE})["grievanceFile"]
    gid = filed["grievance"]["id"]
    # Then the filing organization and the routed companies see suggestions from the description
    for user in ("w", "a", "c_viewer"):
        grievance = api(world.users[user]).data(GRIEVANCE_SUGGESTIONS, {"id": gid})["grievance"]
        assert grievance["description"] == PASSPORTS
        shown = grievance["suggestions"]["suggestions"]
        assert "RETENTION_OF_IDENTITY_DOCUMENTS" in [s["category"] for s in shown[:2]]
        # the evidence is words of the description, never of the reporter (kept apart, for the filer only)
        assert all(e["text"] in PASSPORTS for s in shown for e in s["evidence"])
        assert REPORTER_NAME not in str(shown) and REPORTER_CONTACT not in str(shown)
    # And a company it is not routed to, another workers' organization and an audit firm see nothing
    for user in ("b", "w2", "f"):
        assert api(world.users[user]).data(GRIEVANCE_SUGGESTIONS, {"id": gid})["grievance"] is None


def test_a_findings_suggestions_follow_the_finding(api, full_world):
    w = full_world
    # The firm sees its desk finding's suggestions; company A, with whom it is not shared, sees no finding at all
    mine = api(w.users["f"]).data(FINDING_SUGGESTIONS, {"id": w.ids["desk"]})["finding"]
    assert mine["suggestions"]["available"] is True
    assert api(w.users["a"]).data(FINDING_SUGGESTIONS, {"id": w.ids["desk"]})["finding"] is None
    assert api(w.users["g"]).data(FINDING_SUGGESTIONS, {"id": w.ids["desk"]})["finding"] is None
    # The shared finding ("recruitment fees") is suggested as debt bondage to the company it is shared with
    shared = api(w.users["a"]).data(FINDING_SUGGESTIONS, {"id": w.ids["finding"]})["finding"]
    assert "DEBT_BONDAGE" in [s["category"] for s in shared["suggestions"]["suggestions"]]


def test_filing_with_the_suggestions_shown_records_the_decision(api, world):
    # Given suggestions shown to W's analyst, who files under the first of them
    shown = ["RETENTION_OF_IDENTITY_DOCUMENTS", "INTIMIDATION_THREATS"]
    filed = api(world.users["w"]).data(FILE, {"site": world.ids["mill"], "input": GRIEVANCE, "suggested": shown})
    assert filed["grievanceFile"]["errors"] == []
    # Then the decision says what was suggested, what was chosen, by whom and when, and holds no text
    decision = SuggestionDecision.objects.get()
    assert decision.grievance == Grievance.objects.get()
    assert decision.suggested == ["retention_of_identity_documents", "intimidation_threats"]
    assert (decision.chosen, decision.accepted) == ("retention_of_identity_documents", True)
    assert decision.decided_by == world.users["w"] and decision.organization == world.orgs["w"]
    assert decision.decided_at is not None
    assert REPORTER_NAME not in str(decision.__dict__) and PASSPORTS not in str(decision.__dict__)


def test_filing_without_suggestions_shown_records_nothing(api, world):
    api(world.users["w"]).data(FILE, {"site": world.ids["mill"], "input": GRIEVANCE})
    assert Grievance.objects.count() == 1 and not SuggestionDecision.objects.exists()


def test_a_rejected_suggestion_is_recorded_on_create_and_on_update(api, full_world):
    w = full_world
    firm = api(w.users["f"])
    # Given a finding created under a category other than those suggested
    created = firm.data(FINDING_CREATE, {
        "audit": w.ids["audit"], "suggested": ["WAGES"],
        "input": {"category": "WORKING_HOURS", "severity": "MINOR", "description": "Time cards show 8 hours, workers do 11."},
    })["findingCreate"]
    assert created["errors"] == []
    # When it is recategorised after suggestions are shown again
    updated = firm.data(FINDING_UPDATE, {
        "id": created["finding"]["id"], "input": {"category": "WAGES"}, "suggested": ["WORKING_HOURS", "WAGES"],
    })["findingUpdate"]
    assert updated["errors"] == [] and updated["finding"]["category"] == "WAGES"
    # Then both decisions are recorded, the first rejected, the second accepted
    decisions = list(SuggestionDecision.objects.filter(finding__isnull=False).values_list("suggested", "chosen", "accepted"))
    assert decisions == [(["wages"], "working_hours", False), (["working_hours", "wages"], "wages", True)]


def test_too_many_suggested_categories_is_a_typed_error_and_files_nothing(api, world):
    shown = ["WAGES"] * 21
    result = api(world.users["w"]).data(FILE, {"site": world.ids["mill"], "input": GRIEVANCE, "suggested": shown})
    assert result["grievanceFile"]["errors"] == [{"field": "suggestedCategories", "code": "INVALID"}]
    assert not Grievance.objects.exists() and not SuggestionDecision.objects.exists()


def test_a_viewer_cannot_file_and_records_no_decision(api, world):
    result = api(world.users["w_viewer"])(FILE, {"site": world.ids["mill"], "input": GRIEVANCE, "suggested": ["WAGES"]})
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert not SuggestionDecision.objects.exists()


def test_another_firm_cannot_update_a_finding_and_records_no_decision(api, full_world):
    w = full_world
    result = api(w.users["g"]).data(FINDING_UPDATE, {"id": w.ids["finding"], "input": {"category": "WAGES"}, "suggested": ["WAGES"]})
    assert result["findingUpdate"]["errors"][0]["code"] == "NOT_FOUND"
    assert not SuggestionDecision.objects.exists()
