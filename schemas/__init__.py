"""JSON Schemas for annotation records, installed as ``annotator_schemas``."""
