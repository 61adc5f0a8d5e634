"""Disclosure statements in the API: the sections of each framework with the company's own text, and its approval
and signature; `disclosureNarrativeSet` and `disclosureApprovalSet` store them (exports/reports/statements.py)."""

import graphene

from backend.graphql.list_bounds import BoundedList
from backend.graphql.mutations import BaseMutation
from backend.graphql.permissions import permission_required, require_viewer
from backend.permissions import Permission
from exports.graphql.mutations import ReportError
from exports.graphql.enums import DisclosureFrameworkEnum
from exports.reports import statements
from exports.reports.frameworks import FRAMEWORKS
from exports.reports.statements import MAX_NAME, MAX_NARRATIVE

MAX_SECTIONS = max(len(framework.sections) for framework in FRAMEWORKS.values())


class DisclosureSection(graphene.ObjectType):
    """One section of a framework, and the company's text for it in the period."""

    code = graphene.String(required=True, description="The section's code: the `section` of disclosureNarrativeSet.")
    heading = graphene.String(required=True, description="The section's heading, as the law words it.")
    asks = graphene.String(required=True, description="What the section asks the company to write.")
    narrative = graphene.String(description="The company's text for the section in the period; null if not written.")


class DisclosureStatementType(graphene.ObjectType):
    """Your company's statement for one framework and period: what you write (its sections and its approval); the
    figures are computed from the data when you generate the report (reportGenerate, kind DISCLOSURE)."""

    class Meta:
        name = "DisclosureStatement"

    framework = graphene.Field(DisclosureFrameworkEnum, required=True, description="The framework.")
    title = graphene.String(required=True, description="What the framework calls the document.")
    legal_basis = graphene.String(required=True, description="The law and article it answers.")
    approval_rule = graphene.String(required=True, description="Who the law says approves and signs it.")
    period_from = graphene.Date(required=True, description="First day of the reporting period.")
    period_to = graphene.Date(required=True, description="Last day of the reporting period (inclusive).")
    approved_by = graphene.String(required=True, description="The body that approved it (empty: not yet).")
    approved_on = graphene.Date(description="When it was approved.")
    signed_by = graphene.String(required=True, description="The director who signed it (empty: not yet).")
    signed_on = graphene.Date(description="When it was signed.")
    updated_at = graphene.DateTime(description="When the company last wrote to it; null if it never did.")
    sections = BoundedList(DisclosureSection, MAX_SECTIONS,
                           description=f"The framework's sections in order (at most {MAX_SECTIONS}).")

    def resolve_framework(root, info):
        return root.framework.code

    def resolve_title(root, info):
        return root.framework.title

    def resolve_legal_basis(root, info):
        return root.framework.legal_basis

    def resolve_approval_rule(root, info):
        return root.framework.approval

    def resolve_sections(root, info):
        return [DisclosureSection(code=section.code, heading=section.heading, asks=section.asks,
                                  narrative=root.narratives.get(section.code)) for section in root.framework.sections]


class StatementArguments:
    framework = DisclosureFrameworkEnum(required=True, description="The framework.")
    period_from = graphene.Date(required=True, description="First day of the reporting period.")
    period_to = graphene.Date(required=True, description="Last day of the reporting period (inclusive).")


class DisclosureNarrativeSet(BaseMutation):
    """Write your company's text for one section of a disclosure statement (framework and period); empty text
    removes it. The next report generated for that framework and period prints it."""

    statement = graphene.Field(DisclosureStatementType, description="The statement as it now stands.")

    class Arguments(StatementArguments):
        section = graphene.String(required=True, description="The section's code (disclosureStatement.sections.code).")
        text = graphene.String(required=True, description=f"The text (at most {MAX_NARRATIVE:,} characters; a blank "
                               "line starts a paragraph). No personal data of workers or reporters.")

    class Meta:
        permissions = (Permission.GENERATE_REPORTS,)
        error_type_class = ReportError

    @classmethod
    def perform(cls, info, viewer, framework, period_from, period_to, section, text):
        statements.set_narrative(viewer, framework, period_from, period_to, section, text)
        return cls(statement=statements.statement_record(viewer, framework, period_from, period_to), errors=[])


class DisclosureApprovalSet(BaseMutation):
    """Record who approved your company's statement (framework and period) and when, and the director who signed it
    (blank: not yet). Your organization's admins only."""

    statement = graphene.Field(DisclosureStatementType, description="The statement as it now stands.")

    class Arguments(StatementArguments):
        approved_by = graphene.String(default_value="", description=f"The approving body, e.g. 'Board of directors' "
                                      f"(at most {MAX_NAME} characters).")
        approved_on = graphene.Date(description="When it approved the statement.")
        signed_by = graphene.String(default_value="", description=f"The signing director (at most {MAX_NAME} characters).")
        signed_on = graphene.Date(description="When the director signed it.")

    class Meta:
        permissions = (Permission.APPROVE_DISCLOSURES,)
        error_type_class = ReportError

    @classmethod
    def perform(cls, info, viewer, framework, period_from, period_to, approved_by="", approved_on=None,
                signed_by="", signed_on=None):
        statements.set_approval(viewer, framework, period_from, period_to, approved_by=approved_by,
                                approved_on=approved_on, signed_by=signed_by, signed_on=signed_on)
        return cls(statement=statements.statement_record(viewer, framework, period_from, period_to), errors=[])


class DisclosureQueries(graphene.ObjectType):
    disclosure_statement = graphene.Field(
        DisclosureStatementType, required=True, description="Your company's statement for a framework and period: "
        "its sections with your text, and its approval (blank when you have written nothing yet).",
        **{name: value for name, value in vars(StatementArguments).items() if not name.startswith("_")},
    )

    @staticmethod
    @permission_required(Permission.GENERATE_REPORTS)
    def resolve_disclosure_statement(root, info, framework, period_from, period_to):
        return statements.statement_record(require_viewer(info), getattr(framework, "value", framework), period_from,
                                           period_to)


class DisclosureMutations(graphene.ObjectType):
    disclosure_narrative_set = DisclosureNarrativeSet.Field(description=DisclosureNarrativeSet.__doc__)
    disclosure_approval_set = DisclosureApprovalSet.Field(description=DisclosureApprovalSet.__doc__)
