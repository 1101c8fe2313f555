"""Stage 2, the extraction record (spec section 3): its typed form, JSONL I/O, and scoring against gold."""
