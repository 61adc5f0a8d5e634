"""The keyword baseline: a category is suggested when the text holds one of its obvious keywords, in any of the four
languages, without regard to negation or context. It is what a search box does, and what the suggester must beat."""

import re

from audits.suggestions.engine import Evidence, Suggestion, read

KEYWORDS = {
    "abuse_of_vulnerability": "vulnerab|undocumented|sans papiers|sin papeles|sem documentos|irregular",
    "deception": "decept|deceiv|lied|tromp|mensonge|engan|mentir|promis|prometi|promess",
    "restriction_of_movement": "leave|locked|sortir|enferm|salir|encerr|sair|tranc",
    "isolation": "isolat|isole|aislad|isolad|remote",
    "physical_sexual_violence": "violen|beat|hit|frapp|golpe|bate|espanc|sexual|sexuel",
    "intimidation_threats": "threat|menac|amenaz|ameac",
    "retention_of_identity_documents": "passport|passeport|pasaporte|passaporte|identity|identite|identidad|identidade",
    "withholding_of_wages": "withh|unpaid|impaye|retenid|retid|atrasad",
    "debt_bondage": "debt|dette|deuda|divida|loan|pret|prestamo|emprestimo",
    "abusive_conditions": "dirty|crowded|sale|insalubre|sucio|hacinad|sujo|superlotad",
    "excessive_overtime": "overtime|heures supplementaires|horas extra",
    "below_minimum_age": "child|enfant|nino|nina|crianca|minimum age|age minimum|edad minima|idade minima",
    "hazardous_child_work": "hazardous|dangerous|dangereu|peligros|perigos",
    "worst_forms_child_labour": "traffick|traite|trata|trafico|prostitu",
    "young_worker_protections": "young worker|jeunes travailleurs|trabajadores jovenes|jovens trabalhadores|apprenti|aprendi",
    "freedom_of_association": "union|syndica|sindica|strike|greve|huelga",
    "discrimination": "discrimin|pregnan|enceinte|embarazad|gravid",
    "health_safety": "safety|securite|seguridad|seguranca|injur|accident|chemical|chimique|quimic",
    "wages": "wage|salaire|salario|minimum",
    "working_hours": "working hours|hours|heures|horas|jornada|horaire|horario",
}
PATTERNS = {category: re.compile(rf"\b(?:{words})\w*") for category, words in KEYWORDS.items()}


class KeywordSuggester:
    def suggest(self, text: str, language: str | None = None) -> list[Suggestion]:
        source = read(text, language)
        suggestions = []
        for category, pattern in PATTERNS.items():
            found = [Evidence(source.original[m.start():m.end()], m.start(), m.end()) for m in pattern.finditer(source.folded)]
            if found:
                suggestions.append(Suggestion(category, 1.0, tuple(found[:4])))
        return suggestions
