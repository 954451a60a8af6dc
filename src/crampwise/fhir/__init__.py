"""The diary as FHIR R4, and back: export, import, and reading symptom Observations.

- :mod:`.export`: the diary as a Bundle of type collection (Symptoms IG Observations, daily
  factors, saved checks as QuestionnaireResponse + RiskAssessment);
- :mod:`.read`: a Bundle back into an import plan, every problem named by its path;
- :mod:`.episodes`: one cramp as an Observation and back (also for CDS Hooks prefetch);
- :mod:`.patient`: the age and sex of a Patient;
- :mod:`.codes`: every code used, with its published source (data/codes.yaml);
- :mod:`.validate`: fhir.resources (imported only when checking) and the rules it leaves out.
"""

from crampwise.fhir.codes import Codes, load_codes
from crampwise.fhir.common import FHIR_JSON
from crampwise.fhir.episodes import episodes_from_observations
from crampwise.fhir.export import build_bundle, export_bundle, write_bundle
from crampwise.fhir.patient import PatientFacts, patient_facts
from crampwise.fhir.read import parse_fhir_bundle, plan_from_bundle

__all__ = [
    "FHIR_JSON",
    "Codes",
    "PatientFacts",
    "build_bundle",
    "episodes_from_observations",
    "export_bundle",
    "load_codes",
    "parse_fhir_bundle",
    "patient_facts",
    "plan_from_bundle",
    "write_bundle",
]
