"""What each kind of import expects: its columns, their types, and the headers people use for them.

A column is known by its key, its English label and its aliases: common English synonyms and the usual French,
Spanish and Portuguese headers (imports/headers.py matches a file's header against them). Choice lists are
referred to by name (``choices="category"``); the lists themselves are passed in by the caller, with
DEFAULT_CHOICES as the reference set.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import pycountry

from imports.reading.folding import fold


class ColumnType(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    BOOL = "bool"
    COUNTRY = "country"
    CHOICE = "choice"
    LIST = "list"


@dataclass(frozen=True)
class Column:
    """One column of an import: `key` is canonical, `label` is the template header. A `confidential` column
    names or reaches a person who must stay protected (a grievance's reporter): its values are kept only
    encrypted, and a problem about it stores no value. A value of a `holds_row` column that cannot be read holds
    back only its row: the rest of the file may still be committed (an unknown country in a supplier list)."""

    key: str
    label: str
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    choices: str | None = None
    description: str = ""
    aliases: tuple[str, ...] = ()
    confidential: bool = False
    holds_row: bool = False

    def folded_names(self) -> set[str]:
        return {fold(name) for name in (self.key, self.label, *self.aliases)}


@dataclass(frozen=True)
class ImportKind:
    """A kind of upload; `one_of_required` lists groups of keys of which at least one must be present; a column of
    `derivable` may be left out of a file that has none of the columns it is given with."""

    key: str
    label: str
    columns: tuple[Column, ...]
    one_of_required: tuple[tuple[str, ...], ...] = ()
    # A required column the kind can derive (its key) when none of the columns named with it is present.
    derivable: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Whether the values of columns matching none of the kind's are kept (each row's `unknown`: header → text).
    keeps_unknown: bool = False

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    @property
    def confidential(self) -> bool:
        """Whether an upload of this kind holds confidential values: it is stored encrypted and deleted once its
        job is over (imports/services/uploads.py)."""
        return any(column.confidential for column in self.columns)


Choices = Mapping[str, Sequence[tuple[str, str]]]

TAXONOMY: list[tuple[str, str]] = [
    # Forced labour: the eleven ILO indicators.
    ("abuse_of_vulnerability", "Abuse of vulnerability"),
    ("deception", "Deception"),
    ("restriction_of_movement", "Restriction of movement"),
    ("isolation", "Isolation"),
    ("physical_sexual_violence", "Physical and sexual violence"),
    ("intimidation_threats", "Intimidation and threats"),
    ("retention_of_identity_documents", "Retention of identity documents"),
    ("withholding_of_wages", "Withholding of wages"),
    ("debt_bondage", "Debt bondage"),
    ("abusive_conditions", "Abusive working and living conditions"),
    ("excessive_overtime", "Excessive overtime"),
    # Child labour.
    ("below_minimum_age", "Child below minimum working age"),
    ("hazardous_child_work", "Hazardous work by children"),
    ("worst_forms_child_labour", "Worst forms of child labour"),
    ("young_worker_protections", "Young worker protections"),
    # Other labour rights.
    ("freedom_of_association", "Freedom of association"),
    ("discrimination", "Discrimination"),
    ("health_safety", "Health and safety"),
    ("wages", "Wages and benefits"),
    ("working_hours", "Working hours"),
]

DEFAULT_CHOICES: dict[str, list[tuple[str, str]]] = {
    "category": TAXONOMY,
    "country": sorted((country.alpha_2, country.name) for country in pycountry.countries),
    "site_kind": [("facility", "Facility"), ("farm", "Farm")],
    "evidence_level": [("documented", "Documented"), ("declared", "Declared"), ("inferred", "Inferred")],
    "standard": [("smeta", "SMETA"), ("amfori_bsci", "amfori BSCI"), ("sa8000", "SA8000"), ("rba", "RBA"),
                 ("slcp", "SLCP"), ("internal", "Internal"), ("other", "Other")],
    "audit_type": [("announced", "Announced"), ("semi_announced", "Semi-announced"), ("unannounced", "Unannounced")],
    "severity": [("critical", "Critical"), ("major", "Major"), ("minor", "Minor"), ("observation", "Observation")],
    "status": [("open", "Open"), ("closed", "Closed")],
    "channel": [("hotline", "Hotline"), ("in_person", "In person"), ("app", "App"), ("union", "Union"),
                ("other", "Other")],
    "commodity": [(code, code.replace("_", " ").capitalize()) for code in (
        "bricks", "cattle", "cobalt", "cocoa", "coffee", "cotton", "electronics", "fish", "garments", "gold",
        "hazelnuts", "mica", "palm_oil", "polysilicon", "rice", "rubber", "shrimp", "soy", "sugarcane", "tantalum",
        "tea", "timber", "tin", "tobacco", "tungsten", "vanilla")],
    "yes_no": [("yes", "Yes"), ("no", "No")],
}

# Words accepted for a yes/no column, folded (see fold()): English, French, Spanish, Portuguese.
BOOLEAN_WORDS: dict[str, bool] = {
    "yes": True, "y": True, "true": True, "1": True, "oui": True, "si": True, "sim": True,
    "no": False, "n": False, "false": False, "0": False, "non": False, "nao": False,
}

T = ColumnType

SITE_REF = Column(
    "site_ref", "Site reference", required=True,
    description="Your own identifier for the site (factory, farm, mine…); repeat it to describe several links. A "
                "list of sites without links may leave it out: it is then the site's Open Supply Hub ID, else "
                "derived from its name, address and country.",
    aliases=("site id", "site code", "site ref", "facility id", "facility reference", "facility code", "farm id",
             "location id", "référence du site", "réf site", "identifiant du site", "code site",
             "referencia del sitio", "id del sitio", "código del sitio", "referencia de la instalación",
             "referência do local", "id do local", "código do local", "referência da unidade"),
)
OS_ID = Column(
    "os_id", "Open Supply Hub ID",
    description="The site's ID on Open Supply Hub (opensupplyhub.org), such as CN2019303BQ3FZP.",
    aliases=("os id", "osh id", "open supply id", "oar id", "identifiant open supply hub", "id open supply hub",
             "id de open supply hub"),
)
OPTIONAL_SITE_REF = replace(SITE_REF, required=False)
# Open Supply Hub's facility-list columns that describe a site without being a registry attribute: `sector`,
# `product_type` and `sector_product_type` (values separated by |) also name the site's commodities through graph's
# alias table; every value is kept as the site's extra data in the company's network (supply_map_rows.py).
OSHUB_SITE_COLUMNS = (
    Column("sector", "Sector", description="Open Supply Hub sectors, separated by |: Apparel, Footwear…",
           aliases=("sectors", "secteur", "sector económico", "setor")),
    Column("product_type", "Product type", description="Product types made at the site, separated by |.",
           aliases=("product types", "type de produit", "tipo de producto", "tipo de produto")),
    Column("sector_product_type", "Sector and product type",
           description="Open Supply Hub's combined column: sectors and product types, separated by |."),
    Column("facility_type", "Facility type", description="What the facility does: Final Product Assembly…",
           aliases=("facility types", "type d'installation", "tipo de instalación")),
    Column("processing_type", "Processing type", description="The processes run at the site: Cutting, Dyeing…",
           aliases=("processing types", "process", "processes")),
    Column("native_language_name", "Name in the local language",
           aliases=("native language name", "local name", "nom local", "nombre local")),
    Column("parent_company_os_id", "Parent company OS ID",
           description="The Open Supply Hub ID of the parent company's facility, kept as given."),
    Column("rba_id", "RBA ID", description="The site's Responsible Business Alliance ID.", aliases=("rba",)),
    Column("isic_4", "ISIC code", description="The site's ISIC (revision 4) activity code.",
           aliases=("isic", "isic 4", "isic code", "isic rev 4")),
)


SUPPLY_MAP = ImportKind("supply_map", "Supply map", (
    SITE_REF,
    Column("site_name", "Site name", required=True, description="Name of the site as known locally.",
           aliases=("site", "name", "facility", "facility name", "farm name", "location name", "nom du site",
                    "nom de l'usine", "nombre del sitio", "nombre de la instalación", "nome do local",
                    "nome da unidade")),
    Column("site_kind", "Site type", T.CHOICE, choices="site_kind", description="Facility or farm.",
           aliases=("site kind", "type", "kind", "type de site", "tipo de sitio", "tipo de local")),
    Column("address", "Address", description="Street address of the site.",
           aliases=("street address", "full address", "adresse", "dirección", "endereço", "morada")),
    Column("country", "Country", T.COUNTRY, required=True, choices="country", holds_row=True,
           description="Country of the site: ISO code (FR) or English name (France).",
           aliases=("site country", "country code", "iso country", "pays", "pays du site", "code pays", "país",
                    "país del sitio", "país do local")),
    Column("subdivision", "Region or state", description="ISO 3166-2 code of the region or state, such as CI-AB.",
           aliases=("region", "state", "province", "subdivision code", "iso 3166-2", "région", "département",
                    "región", "provincia", "estado", "região", "província")),
    Column("latitude", "Latitude", T.DECIMAL, description="Decimal degrees, -90 to 90.",
           aliases=("lat", "latitud")),
    Column("longitude", "Longitude", T.DECIMAL, description="Decimal degrees, -180 to 180.",
           aliases=("lon", "lng", "long", "longitud")),
    OS_ID,
    Column("workers", "Number of workers", T.INT, description="Total workers at the site.",
           aliases=("workers", "workforce", "headcount", "employees", "number of employees", "total workers",
                    "nombre de travailleurs", "effectif", "nombre d'employés", "número de trabajadores",
                    "trabajadores", "plantilla", "número de empleados", "número de trabalhadores", "trabalhadores",
                    "número de funcionários", "efetivo")),
    Column("migrant_share", "Share of migrant workers", T.DECIMAL,
           description="Share of the workforce who are migrant workers: 0 to 1, or a percentage such as 35%.",
           aliases=("migrant share", "migrant workers share", "percent migrant workers", "% migrant workers",
                    "part de travailleurs migrants", "pourcentage de travailleurs migrants",
                    "porcentaje de trabajadores migrantes", "proporción de trabajadores migrantes",
                    "percentagem de trabalhadores migrantes", "porcentagem de trabalhadores migrantes")),
    Column("commodities", "Commodities", T.LIST, choices="commodity",
           description="Commodities handled at the site, separated by ; or ,: codes, names, or sectors and product "
                       "types of graph/data/commodity_aliases.json (Apparel → garments).",
           aliases=("commodity", "products", "product", "materials", "raw materials", "crops", "matières premières",
                    "produits", "materias primas", "productos", "matérias-primas", "produtos", "mercadorias")),
    *OSHUB_SITE_COLUMNS,
    Column("supplier_ref", "Supplier reference", description="Your identifier for the company that runs the site.",
           aliases=("supplier id", "supplier code", "supplier number", "vendor id", "vendor code", "vendor number",
                    "référence fournisseur", "code fournisseur", "referencia del proveedor", "código de proveedor",
                    "referência do fornecedor", "código do fornecedor")),
    Column("supplier_name", "Supplier name", description="Legal name of the company that runs the site.",
           aliases=("supplier", "vendor", "vendor name", "company", "company name", "legal name", "parent company",
                    "fournisseur",
                    "nom du fournisseur", "raison sociale", "proveedor", "nombre del proveedor", "razón social",
                    "fornecedor", "nome do fornecedor", "razão social")),
    Column("supplier_country", "Supplier country", T.COUNTRY, choices="country", holds_row=True,
           description="Country where the supplier is registered: ISO code or English name.",
           aliases=("vendor country", "supplier country code", "pays du fournisseur", "país del proveedor",
                    "país do fornecedor")),
    Column("supplier_tax_id", "Supplier tax ID", description="VAT or tax registration number of the supplier.",
           aliases=("tax id", "vat number", "vat", "tin", "tax number", "numéro de tva", "numéro fiscal", "siret",
                    "siren", "nif", "cif", "rfc", "ruc", "número de identificación fiscal", "cnpj",
                    "número de contribuinte")),
    Column("supplier_lei", "Supplier LEI", description="Legal Entity Identifier (20 characters).",
           aliases=("lei", "lei id", "legal entity identifier", "identifiant d'entité juridique",
                    "identificador de entidad jurídica", "identificador de entidade jurídica")),
    Column("supplier_duns", "Supplier DUNS", description="Dun & Bradstreet D-U-N-S number (9 digits).",
           aliases=("duns", "duns id", "duns number", "numéro duns", "número duns")),
    Column("buyer_ref", "Buyer site reference",
           description="Site reference of the site this one supplies; leave empty when it supplies your company.",
           aliases=("buyer ref", "buyer", "customer", "customer ref", "supplies to", "ships to", "downstream site",
                    "référence de l'acheteur", "client", "livre à", "referencia del comprador", "cliente",
                    "suministra a", "referência do comprador", "fornece para")),
    Column("link_commodity", "Commodity supplied", T.CHOICE, choices="commodity",
           description="The commodity this site supplies to the buyer.",
           aliases=("supplied commodity", "link commodity", "matière livrée", "produit livré", "producto suministrado",
                    "materia suministrada", "produto fornecido", "mercadoria fornecida")),
    Column("share", "Share of buyer's supply", T.DECIMAL,
           description="Share of the buyer's supply of that commodity coming from this site: 0 to 1 or a percentage.",
           aliases=("share", "percentage", "share of supply", "sourcing share", "part", "part d'approvisionnement",
                    "pourcentage", "proporción", "porcentaje", "cuota", "participação", "percentagem",
                    "porcentagem", "proporção")),
    Column("volume", "Volume", T.DECIMAL, description="Quantity supplied per year, in the unit below.",
           aliases=("quantity", "qty", "amount", "annual volume", "quantité", "volumen", "cantidad", "quantidade")),
    Column("volume_unit", "Volume unit", description="Unit of the volume: kg, t, pieces, litres…",
           aliases=("unit", "uom", "unit of measure", "unité", "unidad", "unidade")),
    Column("evidence_level", "Evidence level", T.CHOICE, choices="evidence_level",
           description="How the link is known: documented (papers seen), declared (supplier says), inferred.",
           aliases=("evidence", "source of information", "confidence", "niveau de preuve", "nivel de evidencia",
                    "nível de evidência")),
    Column("valid_from", "Valid from", T.DATE, description="First day the link applies (YYYY-MM-DD).",
           aliases=("start date", "from", "effective date", "since", "valide à partir du", "date de début", "depuis",
                    "válido desde", "fecha de inicio", "desde", "data de início")),
    Column("valid_to", "Valid to", T.DATE, description="Last day the link applies (YYYY-MM-DD); empty if ongoing.",
           aliases=("valid until", "end date", "to", "until", "expiry date", "valide jusqu'au", "date de fin",
                    "jusqu'à", "válido hasta", "fecha de fin", "hasta", "válido até", "data de fim", "data final",
                    "até")),
    Column("link_ref", "Link reference",
           description="Your own identifier for the link (a contract or purchase order); empty: named after its "
                       "site, buyer and commodity.",
           aliases=("link id", "link ref", "contract reference", "contract number", "purchase order", "po number",
                    "référence du lien", "numéro de contrat", "referencia del vínculo", "número de contrato",
                    "referência do vínculo", "número do contrato")),
), derivable={"site_ref": ("buyer_ref", "link_commodity", "link_ref")}, keeps_unknown=True)

_CATEGORY_ALIASES = ("finding category", "issue category", "topic", "issue type", "indicator", "catégorie",
                     "categoría", "categoria")

FINDINGS = ImportKind("findings", "Findings", (
    Column("audit_ref", "Audit reference", required=True, description="Identifier of the audit.",
           aliases=("audit id", "audit number", "audit code", "audit ref", "référence de l'audit", "numéro d'audit",
                    "referencia de la auditoría", "número de auditoría", "referência da auditoria",
                    "número da auditoria")),
    OPTIONAL_SITE_REF,
    OS_ID,
    Column("standard", "Audit standard", T.CHOICE, choices="standard",
           description="The audit scheme: SMETA, amfori BSCI, SA8000, RBA, SLCP, internal or other.",
           aliases=("scheme", "audit scheme", "methodology", "protocol", "référentiel", "norme", "estándar", "norma",
                    "esquema", "padrão")),
    Column("audit_type", "Audit type", T.CHOICE, choices="audit_type",
           description="Announced, semi-announced or unannounced.",
           aliases=("type of audit", "announcement", "type d'audit", "tipo de auditoría", "tipo de auditoria")),
    Column("audit_start", "Audit start date", T.DATE, required=True, description="First day of the audit (YYYY-MM-DD).",
           aliases=("audit date", "start date", "date of audit", "audit start", "date de début de l'audit",
                    "date de l'audit", "fecha de inicio de la auditoría", "fecha de la auditoría",
                    "data de início da auditoria", "data da auditoria")),
    Column("audit_end", "Audit end date", T.DATE, description="Last day of the audit (YYYY-MM-DD).",
           aliases=("end date", "audit end", "date de fin de l'audit", "fecha de fin de la auditoría",
                    "data de fim da auditoria", "data de término da auditoria")),
    Column("lead_auditor", "Lead auditor", description="Name of the lead auditor.",
           aliases=("auditor", "auditor name", "auditeur principal", "auditeur", "auditor principal",
                    "auditor líder")),
    Column("report_reference", "Report reference", description="Reference of the audit report.",
           aliases=("report id", "report number", "report ref", "référence du rapport", "numéro du rapport",
                    "referencia del informe", "número de informe", "referência do relatório",
                    "número do relatório")),
    Column("finding_ref", "Finding reference", required=True, description="Identifier of the finding within the audit.",
           aliases=("finding id", "finding number", "non-conformity id", "nc id", "nc number", "issue id",
                    "référence du constat", "numéro de non-conformité", "referencia del hallazgo",
                    "número de no conformidad", "referência da constatação", "número da não conformidade")),
    Column("category", "Category", T.CHOICE, required=True, choices="category",
           description="What the finding is about, from the list (ILO forced-labour indicators, child labour, other).",
           aliases=_CATEGORY_ALIASES),
    Column("severity", "Severity", T.CHOICE, required=True, choices="severity",
           description="Critical, major, minor or observation.",
           aliases=("finding severity", "rating", "grade", "risk level", "priority", "gravité", "sévérité",
                    "gravedad", "severidad", "gravidade", "severidade")),
    Column("description", "Description", description="What the auditor found.",
           aliases=("details", "finding", "finding description", "comments", "constat", "détails", "descripción",
                    "hallazgo", "detalles", "descrição", "constatação", "detalhes")),
    Column("status", "Status", T.CHOICE, choices="status", description="Open or closed.",
           aliases=("finding status", "state", "statut", "état", "estado", "situação")),
    Column("finding_date", "Finding date", T.DATE, description="Date the finding was raised (YYYY-MM-DD).",
           aliases=("date found", "date raised", "date of finding", "date du constat", "fecha del hallazgo",
                    "data da constatação")),
), one_of_required=(("site_ref", "os_id"),))

GRIEVANCES = ImportKind("grievances", "Grievances", (
    Column("grievance_ref", "Grievance reference", required=True, description="Identifier of the grievance or case.",
           aliases=("grievance id", "case id", "case number", "case ref", "complaint id", "complaint number",
                    "ticket id", "référence de la plainte", "numéro de dossier", "numéro de plainte",
                    "referencia de la queja", "número de caso", "número de queja", "referência da queixa",
                    "número do caso", "número da reclamação")),
    OPTIONAL_SITE_REF,
    OS_ID,
    Column("channel", "Channel", T.CHOICE, choices="channel",
           description="How it was received: hotline, in person, app, union or other.",
           aliases=("grievance channel", "source", "reported via", "intake channel", "canal")),
    Column("category", "Category", T.CHOICE, required=True, choices="category",
           description="What the grievance is about, from the list.",
           aliases=(*_CATEGORY_ALIASES, "grievance type", "complaint type", "type de plainte", "tipo de queja",
                    "tipo de queixa")),
    Column("description", "Description", required=True, description="What the worker reported.",
           aliases=("details", "summary", "complaint", "grievance", "narrative", "détails", "résumé", "descripción",
                    "detalles", "resumen", "descrição", "detalhes", "resumo")),
    Column("events_date", "Date of events", T.DATE, description="When the events happened (YYYY-MM-DD).",
           aliases=("incident date", "event date", "date of incident", "occurred on", "date des faits",
                    "date de l'incident", "fecha de los hechos", "fecha del incidente", "data dos fatos",
                    "data dos factos", "data do incidente")),
    Column("received_on", "Date received", T.DATE, description="When the grievance was received (YYYY-MM-DD).",
           aliases=("received", "received date", "reported on", "report date", "date reported", "date de réception",
                    "reçu le", "fecha de recepción", "recibido el", "data de receção", "data de recebimento",
                    "recebido em")),
    Column("workers_affected", "Workers affected", T.INT, description="Number of workers concerned.",
           aliases=("number of workers affected", "affected workers", "people affected", "travailleurs concernés",
                    "nombre de travailleurs concernés", "trabajadores afectados", "número de trabajadores afectados",
                    "trabalhadores afetados", "número de trabalhadores afetados")),
    Column("children_involved", "Children involved", T.BOOL, choices="yes_no",
           description="Whether children (under 18) are involved: yes or no.",
           aliases=("child involved", "minors involved", "involves children", "enfants concernés",
                    "mineurs concernés", "niños involucrados", "menores involucrados", "crianças envolvidas",
                    "menores envolvidos")),
    Column("reporter_name", "Reporter name", description="Who reported it, if they agreed to be named.",
           confidential=True,
           aliases=("reporter", "complainant", "complainant name", "reported by", "nom du plaignant", "plaignant",
                    "déclarant", "nombre del denunciante", "denunciante", "reclamante", "nome do denunciante")),
    Column("reporter_contact", "Reporter contact", description="How to reach the reporter, if they agreed.",
           confidential=True,
           aliases=("contact", "phone", "email", "complainant contact", "contact du plaignant", "coordonnées",
                    "contacto del denunciante", "contacto", "contacto do denunciante", "contato")),
), one_of_required=(("site_ref", "os_id"),))

KINDS: dict[str, ImportKind] = {kind.key: kind for kind in (SUPPLY_MAP, FINDINGS, GRIEVANCES)}
