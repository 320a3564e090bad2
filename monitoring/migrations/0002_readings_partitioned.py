from django.db import migrations

# Readings: declarative range partitions by month on observed_at (PERFORMANCE.md 5).
# Month boundaries are in UTC. The primary key (station, parameter, observed_at) makes
# re-sends idempotent (ON CONFLICT DO NOTHING) and includes the partition key, as
# PostgreSQL requires. A BRIN index on time stays tiny while rows arrive in time order.
# monitoring_ensure_partitions() creates missing months; ingestion calls it for the
# months of each batch and a periodic task keeps three months ahead.
# No foreign keys: the ingest service resolves stations and parameters before it writes
# (a FK check per row would cost on ingest), and Django's test flush (TRUNCATE without
# CASCADE, which skips this unmanaged table) could not empty the referenced tables.
CREATE = """
CREATE TABLE monitoring_reading (
    station_id bigint NOT NULL,
    parameter_id bigint NOT NULL,
    observed_at timestamptz NOT NULL,
    value double precision NOT NULL,
    status smallint NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),
    received_at timestamptz NOT NULL DEFAULT now(),
    campaign_id bigint NULL,
    PRIMARY KEY (station_id, parameter_id, observed_at)
) PARTITION BY RANGE (observed_at);

CREATE INDEX monitoring_reading_observed_brin ON monitoring_reading USING brin (observed_at);

CREATE OR REPLACE FUNCTION monitoring_ensure_partitions(first_month date, last_month date)
RETURNS integer AS $$
DECLARE
    month date := date_trunc('month', first_month)::date;
    created integer := 0;
    name text;
BEGIN
    WHILE month <= date_trunc('month', last_month)::date LOOP
        name := format('monitoring_reading_y%sm%s', to_char(month, 'YYYY'), to_char(month, 'MM'));
        IF to_regclass(name) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF monitoring_reading FOR VALUES FROM (%L) TO (%L)',
                name, (month::timestamp AT TIME ZONE 'UTC'),
                ((month + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
            created := created + 1;
        END IF;
        month := (month + interval '1 month')::date;
    END LOOP;
    RETURN created;
END;
$$ LANGUAGE plpgsql;

-- From January 2024 (the oldest reports that use monitoring data) to a year ahead.
SELECT monitoring_ensure_partitions(date '2024-01-01', (now() + interval '12 months')::date);
"""

DROP = """
DROP TABLE IF EXISTS monitoring_reading CASCADE;
DROP FUNCTION IF EXISTS monitoring_ensure_partitions(date, date);
"""


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunSQL(CREATE, DROP)]
