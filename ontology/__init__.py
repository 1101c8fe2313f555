"""The kg ontology (OWL/RDFS), the SKOS sector scheme and the SHACL shapes, as package data."""
