"""A CDS Hooks 2.0 service: a clinician's EHR asks crampwise about a patient's cramps.

``service`` answers the hook from what the EHR sends (pure); ``auth`` checks the EHR's
signed bearer token against the trusted clients ``clients`` reads from their file.
"""

from __future__ import annotations

from crampwise.cds.auth import ReplayGuard, verify_call
from crampwise.cds.clients import CdsClient, load_clients, parse_clients
from crampwise.cds.service import SERVICE_ID, discovery, hook_response

__all__ = [
    "SERVICE_ID",
    "CdsClient",
    "ReplayGuard",
    "discovery",
    "hook_response",
    "load_clients",
    "parse_clients",
    "verify_call",
]
