"""Scoring the assessment against vignette files with gold answers."""
