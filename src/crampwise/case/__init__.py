"""The case model (crampwise-case/1) and its validating parser."""

from crampwise.case.model import FORMAT, Case, FindingValue
from crampwise.case.parse import parse_case, read_case_file

__all__ = ["FORMAT", "Case", "FindingValue", "parse_case", "read_case_file"]
