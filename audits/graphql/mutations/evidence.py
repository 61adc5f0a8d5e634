"""evidenceFileAdd: a file, sent base64-encoded, attached to a finding or a corrective action."""

import base64
import binascii

import graphene

from audits.graphql.mutations.common import AuditError, lookup
from audits.graphql.types import EvidenceFileType
from audits.services.evidence_files import MAX_BYTES, add_evidence_file
from backend.errors import field_error
from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission


class EvidenceFileAdd(BaseMutation):
    """Attach a PDF, PNG or JPEG file (at most 5 MB, base64-encoded) to your finding or your corrective action."""

    evidence_file = graphene.Field(EvidenceFileType, description="The stored file, when the mutation succeeded.")

    class Arguments:
        finding_id = graphene.ID(description="ID of your audit firm's finding (give this or correctiveActionId).")
        corrective_action_id = graphene.ID(description="ID of your organization's corrective action.")
        file_name = graphene.String(required=True, description="Original file name; its extension must match the content.")
        content_base64 = graphene.String(
            required=True, description=f"The file's bytes, base64-encoded (at most {MAX_BYTES // (1024 * 1024)} MB decoded)."
        )

    class Meta:
        permissions = (Permission.MANAGE_REMEDIATION,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, file_name, content_base64, finding_id=None, corrective_action_id=None):
        if bool(finding_id) == bool(corrective_action_id):
            raise field_error("finding_id", "Give exactly one of findingId and correctiveActionId.", "required")
        finding = lookup(viewer, "Finding", finding_id, "finding_id") if finding_id else None
        action = lookup(viewer, "CorrectiveAction", corrective_action_id, "corrective_action_id") if corrective_action_id else None
        if len(content_base64) > (MAX_BYTES * 4) // 3 + 4:
            raise field_error("content_base64", "The file is too large.", "invalid_file")
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise field_error("content_base64", "The content is not valid base64.", "invalid_file")
        evidence = add_evidence_file(viewer, content, file_name, finding=finding, action=action)
        return cls(evidence_file=evidence, errors=[])
