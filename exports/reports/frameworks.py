"""The disclosure frameworks a company may report under, and the sections of each, from the legislation and its
official guidance. A section has a code (the key under which the company stores its narrative through
`disclosureNarrativeSet`), its heading as the law words it, what the company is asked to write, and the blocks of
figures from the data that the report shows under it (exports/reports/disclosure_render.py draws each block).

Blocks: network (sites by tier and country), risk (bands, highest-risk countries, commodities and regions), audits
(audits and findings by category), grievances (received, concluded, median days and the mechanism's KPIs),
remediation (corrective actions and their outcomes), outcomes (what works: what followed the actions verified in
the period, per intervention type, audits/services/outcomes.py), referrals (to protection services), questionnaire
(Canada's annual questionnaire, the answers the data gives), product and evidence (the EU FLR pack's commodity and
its per-site evidence table).
"""

from dataclasses import dataclass

from backend.errors import field_error
from exports.models import DisclosureFramework


@dataclass(frozen=True)
class Section:
    code: str
    heading: str
    asks: str
    blocks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Framework:
    code: str
    title: str
    legal_basis: str
    approval: str
    sections: tuple[Section, ...]

    def section(self, code: str) -> Section | None:
        return next((section for section in self.sections if section.code == code), None)


UK_MSA = Framework(
    DisclosureFramework.UK_MSA, "Modern slavery statement", "Modern Slavery Act 2015, section 54",
    "Approved by the board of directors and signed by a director (s.54(6)).",
    (
        Section("a_structure", "(a) Organisation structure, business and supply chains",
                "The organisation's structure, its business and its supply chains.", ("network",)),
        Section("b_policies", "(b) Policies in relation to slavery and human trafficking",
                "The policies the organisation holds on slavery and human trafficking."),
        Section("c_due_diligence", "(c) Due diligence processes",
                "The due diligence processes in relation to slavery and human trafficking in the business and "
                "supply chains.", ("audits",)),
        Section("d_risk", "(d) Risk assessment and management",
                "The parts of the business and supply chains where there is a risk of slavery and human "
                "trafficking taking place, and the steps taken to assess and manage that risk.", ("risk",)),
        Section("e_effectiveness", "(e) Effectiveness, measured against performance indicators",
                "Effectiveness in ensuring that slavery and human trafficking is not taking place, measured "
                "against the performance indicators it considers appropriate.", ("grievances", "outcomes")),
        Section("f_training", "(f) Training about slavery and human trafficking",
                "The training about slavery and human trafficking available to its staff."),
        Section("g_cases", "Cases found and remedy given",
                "Cases identified in the year and the remedy given (statutory guidance, 2025).",
                ("remediation", "referrals")),
    ),
)

CA_S211 = Framework(
    DisclosureFramework.CA_S211, "Report on forced labour and child labour in supply chains",
    "Fighting Against Forced Labour and Child Labour in Supply Chains Act (S.C. 2023, c. 9), section 11(3)",
    "Approved by the governing body and attested by one or more of its members (s.11(4)–(5)).",
    (
        Section("a_structure", "(a) Structure, activities and supply chains",
                "The entity's structure, activities and supply chains.", ("network",)),
        Section("b_policies", "(b) Policies and due diligence processes",
                "The policies and due diligence processes in relation to forced labour and child labour.",
                ("audits",)),
        Section("c_risk", "(c) Parts at risk and the steps taken",
                "The parts of the business and supply chains that carry a risk of forced labour or child labour "
                "being used, and the steps taken to assess and manage that risk.", ("risk",)),
        Section("d_remediation", "(d) Measures to remediate forced labour or child labour",
                "Any measures taken to remediate any forced labour or child labour.", ("remediation", "referrals")),
        Section("e_income", "(e) Measures to remediate the loss of income",
                "Any measures taken to remediate the loss of income to the most vulnerable families that results "
                "from any measure taken to eliminate the use of forced labour or child labour."),
        Section("f_training", "(f) Training", "The training provided to employees on forced labour and child labour."),
        Section("g_effectiveness", "(g) Assessing effectiveness",
                "How the entity assesses its effectiveness in ensuring that forced labour and child labour are not "
                "being used in its business and supply chains.", ("grievances", "outcomes")),
        Section("questionnaire", "Annual questionnaire: the answers the data gives",
                "Anything the company adds to the answers of the online questionnaire.", ("questionnaire",)),
    ),
)

DE_LKSG = Framework(
    DisclosureFramework.DE_LKSG, "Due diligence documentation",
    "Lieferkettensorgfaltspflichtengesetz (LkSG), §10(1): internal documentation, kept for seven years",
    "Signed off by the management (Geschäftsleitung) and the human rights officer (§4(3)).",
    (
        Section("a_strategy", "A. Strategy and embedding",
                "The policy statement (§6(2)), responsibilities and how due diligence is embedded.", ("network",)),
        Section("b_risk", "B. Risk analysis and preventive measures",
                "The risk analysis (§5) of own business and direct suppliers (and indirect ones on substantiated "
                "knowledge), its prioritised risks and the preventive measures taken (§6).", ("risk", "audits")),
        Section("c_remedy", "C. Violations identified and remedial measures",
                "Violations found and the remedial measures taken (§7).", ("remediation", "referrals")),
        Section("d_complaints", "D. Complaints procedure",
                "The complaints procedure (§8) and the complaints it received.", ("grievances",)),
        Section("e_evaluation", "E. Evaluation of effectiveness",
                "How the effectiveness of the measures is reviewed, and its conclusions for the year.", ("outcomes",)),
    ),
)

EU_CSDDD = Framework(
    DisclosureFramework.EU_CSDDD, "Annual due diligence statement",
    "Directive (EU) 2024/1760 (CSDDD), article 16 (content subject to the Commission's delegated acts)",
    "Approved and signed by the administrative, management or supervisory body.",
    (
        Section("due_diligence", "Description of due diligence",
                "How due diligence is integrated into policies and risk management (art. 7), and how it is "
                "carried out.", ("network", "audits")),
        Section("impacts", "Actual and potential adverse impacts identified",
                "The adverse human rights impacts identified and assessed (art. 8), and how they were "
                "prioritised (art. 9).", ("risk",)),
        Section("measures", "Appropriate measures taken",
                "The measures taken to prevent, mitigate, bring to an end and remediate them (art. 10–12), the "
                "complaints procedure (art. 14) and the monitoring of effectiveness (art. 15).",
                ("remediation", "referrals", "grievances", "outcomes")),
    ),
)

EU_FLR = Framework(
    DisclosureFramework.EU_FLR, "Forced labour evidence pack",
    "Regulation (EU) 2024/3015 (Forced Labour Regulation): information an operator provides to a competent "
    "authority on the product and its supply chain (art. 17–18)",
    "Confirmed by the operator's authorised representative.",
    (
        Section("product", "Product and commodity",
                "The product concerned, its commodity and its HS heading, and how it is sourced.", ("product",)),
        Section("supply_chain", "Upstream sites: identifiers, risk, evidence, actions and outcomes",
                "Anything the company adds to the per-site table (sources of the data, gaps in tracing).",
                ("evidence",)),
        Section("measures", "Due diligence and measures taken",
                "The due diligence done on forced labour for this product, and the actions taken.",
                ("remediation",)),
    ),
)

FRAMEWORKS = {framework.code: framework for framework in (UK_MSA, CA_S211, DE_LKSG, EU_CSDDD, EU_FLR)}


def framework_of(code: str, field: str = "framework") -> Framework:
    """The framework named by `code`; a clear error naming the field otherwise."""
    if code not in FRAMEWORKS:
        raise field_error(field, f"Unknown framework '{code}'; one of {', '.join(FRAMEWORKS)}.", "invalid")
    return FRAMEWORKS[code]


def section_of(framework: Framework, code: str, field: str = "section") -> Section:
    section = framework.section(code)
    if section is None:
        codes = ", ".join(known.code for known in framework.sections)
        raise field_error(field, f"{framework.code} has no section '{code}'; its sections are {codes}.", "invalid")
    return section
