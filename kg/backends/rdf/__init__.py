"""The embedded RDF store (pyoxigraph), its export formats and SHACL validation."""
