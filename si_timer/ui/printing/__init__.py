"""Printable PDFs: a routine's handout and the report for a clinician."""
