"""Flag numeric claims a fact-checker may want to verify: "$500 billion", "4 percent", "63%"."""

from annotator import Annotation, Annotator, hookimpl

# spaCy entity labels that carry a checkable quantity.
CLAIM_ENTITY_LABELS = {"MONEY": "money", "PERCENT": "percent", "QUANTITY": "quantity"}


class NumericClaims(Annotator):
    """One annotation per money amount, percentage or quantity the NER finds."""

    name = "numeric_claims"
    version = "0.1.0"
    requires = ("ner",)
    attributes_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:annotator-plugin:annotator-numeric-claims:attributes",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": sorted(CLAIM_ENTITY_LABELS.values())}},
    }

    def annotate(self, article, doc):
        for entity in doc.ents:
            if entity.label_ in CLAIM_ENTITY_LABELS:
                yield Annotation(
                    "numeric_claim",
                    entity.start_char,
                    entity.end_char,
                    attributes={"kind": CLAIM_ENTITY_LABELS[entity.label_]},
                )


@hookimpl
def register_annotators(register):
    register(NumericClaims)
