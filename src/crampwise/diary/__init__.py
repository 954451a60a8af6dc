"""The cramp diary: episodes, daily factors and saved assessments, and their storage."""
