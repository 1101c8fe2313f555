"""Stage 5, questions: saved queries, evidence (why), counts, and rows rendered as text."""
