from django.db import migrations

# The copy of record (DESIGN.md section 5, RELIABILITY.md section 1.2): a submission's
# signed PDF, hashes, verification result and receipt never change and are never
# deleted. Only the review outcome may be written, once, from empty.
FORBID = """
CREATE OR REPLACE FUNCTION reports_submission_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'reports_reportsubmission is a copy of record (DELETE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.report_id, NEW.revision, NEW.form_id, NEW.data, NEW.rendered_sha256, NEW.signed_pdf, NEW.sha256,
        NEW.size, NEW.signing_path, NEW.verification, NEW.signer_name, NEW.signer_tax_code, NEW.signed_at,
        NEW.received_at, NEW.receipt_pdf, NEW.receipt_sha256, NEW.submitted_by_id)
       IS DISTINCT FROM
       (OLD.report_id, OLD.revision, OLD.form_id, OLD.data, OLD.rendered_sha256, OLD.signed_pdf, OLD.sha256,
        OLD.size, OLD.signing_path, OLD.verification, OLD.signer_name, OLD.signer_tax_code, OLD.signed_at,
        OLD.received_at, OLD.receipt_pdf, OLD.receipt_sha256, OLD.submitted_by_id) THEN
        RAISE EXCEPTION 'reports_reportsubmission is a copy of record (UPDATE of the record refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.outcome <> '' AND (NEW.outcome, NEW.outcome_reason, NEW.outcome_by_id, NEW.outcome_at)
       IS DISTINCT FROM (OLD.outcome, OLD.outcome_reason, OLD.outcome_by_id, OLD.outcome_at) THEN
        RAISE EXCEPTION 'the review outcome of a submission is written once'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_submission_copy_of_record
    BEFORE UPDATE OR DELETE ON reports_reportsubmission
    FOR EACH ROW EXECUTE FUNCTION reports_submission_guard();

CREATE TRIGGER reports_recipient_append_only
    BEFORE UPDATE OR DELETE ON reports_reportrecipient
    FOR EACH ROW EXECUTE FUNCTION audit_event_forbid_change();
"""

ALLOW = """
DROP TRIGGER IF EXISTS reports_recipient_append_only ON reports_reportrecipient;
DROP TRIGGER IF EXISTS reports_submission_copy_of_record ON reports_reportsubmission;
DROP FUNCTION IF EXISTS reports_submission_guard();
"""


class Migration(migrations.Migration):
    """Copies of record are immutable in the database itself, not only in the code."""

    dependencies = [("reports", "0001_initial"), ("audit", "0002_append_only")]
    operations = [migrations.RunSQL(FORBID, ALLOW)]
