"""The fixed taxonomy of findings and grievances, and the risk dimension(s) each category evidences.

The eleven forced-labour indicators are the ILO's (ILO Indicators of Forced Labour, 2012), named as the ILO
names them. Child-labour categories follow ILO Conventions 138 (minimum age) and 182 (worst forms). The risk
engine's dimensions are 0 = child labour and 1 = forced labour; the worst forms of child labour (which include
forced and bonded child labour and trafficking) evidence both; the other categories evidence neither.
"""

from django.db import models

CHILD_LABOUR = 0
FORCED_LABOUR = 1


class Category(models.TextChoices):
    # The 11 ILO indicators of forced labour.
    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability", "Abuse of vulnerability"
    DECEPTION = "deception", "Deception"
    RESTRICTION_OF_MOVEMENT = "restriction_of_movement", "Restriction of movement"
    ISOLATION = "isolation", "Isolation"
    PHYSICAL_SEXUAL_VIOLENCE = "physical_sexual_violence", "Physical and sexual violence"
    INTIMIDATION_THREATS = "intimidation_threats", "Intimidation and threats"
    RETENTION_OF_IDENTITY_DOCUMENTS = "retention_of_identity_documents", "Retention of identity documents"
    WITHHOLDING_OF_WAGES = "withholding_of_wages", "Withholding of wages"
    DEBT_BONDAGE = "debt_bondage", "Debt bondage"
    ABUSIVE_CONDITIONS = "abusive_conditions", "Abusive working and living conditions"
    EXCESSIVE_OVERTIME = "excessive_overtime", "Excessive overtime"
    # Child labour.
    BELOW_MINIMUM_AGE = "below_minimum_age", "Child below the minimum working age"
    HAZARDOUS_CHILD_WORK = "hazardous_child_work", "Hazardous work by children"
    WORST_FORMS_CHILD_LABOUR = "worst_forms_child_labour", "Worst forms of child labour"
    YOUNG_WORKER_PROTECTIONS = "young_worker_protections", "Young worker protections"
    # Other labour standards.
    FREEDOM_OF_ASSOCIATION = "freedom_of_association", "Freedom of association"
    DISCRIMINATION = "discrimination", "Discrimination"
    HEALTH_SAFETY = "health_safety", "Health and safety"
    WAGES = "wages", "Wages"
    WORKING_HOURS = "working_hours", "Working hours"


FORCED_LABOUR_INDICATORS = frozenset(
    {
        Category.ABUSE_OF_VULNERABILITY, Category.DECEPTION, Category.RESTRICTION_OF_MOVEMENT, Category.ISOLATION,
        Category.PHYSICAL_SEXUAL_VIOLENCE, Category.INTIMIDATION_THREATS, Category.RETENTION_OF_IDENTITY_DOCUMENTS,
        Category.WITHHOLDING_OF_WAGES, Category.DEBT_BONDAGE, Category.ABUSIVE_CONDITIONS, Category.EXCESSIVE_OVERTIME,
    }
)
CHILD_LABOUR_CATEGORIES = frozenset(
    {
        Category.BELOW_MINIMUM_AGE, Category.HAZARDOUS_CHILD_WORK, Category.WORST_FORMS_CHILD_LABOUR,
        Category.YOUNG_WORKER_PROTECTIONS,
    }
)


def dimensions_of(category: str) -> frozenset[int]:
    """The risk dimensions a category evidences: {1} forced labour, {0} child labour, both, or none."""
    if category == Category.WORST_FORMS_CHILD_LABOUR:
        return frozenset({CHILD_LABOUR, FORCED_LABOUR})
    if category in FORCED_LABOUR_INDICATORS:
        return frozenset({FORCED_LABOUR})
    if category in CHILD_LABOUR_CATEGORIES:
        return frozenset({CHILD_LABOUR})
    return frozenset()


def group_of(category: str) -> str:
    """forced_labour, child_labour or other."""
    if category in FORCED_LABOUR_INDICATORS:
        return "forced_labour"
    if category in CHILD_LABOUR_CATEGORIES:
        return "child_labour"
    return "other"


class InterventionType(models.TextChoices):
    """What a corrective action does about a case, so outcomes can be compared by kind of remedy
    (docs/methodology.md, "Interventions"). An action without one is unclassified."""

    REMEDIATION_PAYMENT = "remediation_payment", "Remediation payment / back wages"
    RECRUITMENT_FEE_REIMBURSEMENT = "recruitment_fee_reimbursement", "Recruitment-fee reimbursement"
    RETURN_OF_DOCUMENTS = "return_of_documents", "Return of identity documents"
    CHILD_TO_SCHOOLING = "child_to_schooling", "Removal of a child to schooling with income support"
    POLICY_CHANGE = "policy_change", "Policy change"
    TRAINING = "training", "Training"
    MANAGEMENT_SYSTEM_CHANGE = "management_system_change", "Management-system change"
    SUPPLIER_EXIT = "supplier_exit", "Supplier exit"
    REFERRAL = "referral", "Referral to services"
    OTHER = "other", "Other intervention"
