-- Beacon: PostgreSQL schema for the Orleans ADO.NET providers (Microsoft.Orleans.*.AdoNet 10.4.2)
-- covering grain persistence, clustering (membership) and reminders.
--
-- The providers do not create anything themselves. At start-up each one runs
-- "SELECT QueryKey, QueryText FROM OrleansQuery" and afterwards only executes the SQL text found
-- there, binding its own named parameters (@ServiceId, @GrainIdN0, ...) and reading result columns
-- by name. Hence the table layout below is ours; only the OrleansQuery contract, the parameter
-- names and the result column names are fixed by the providers.
--
-- Migration 001. PostgresSchema applies it once per database, in one transaction, and records it in
-- beacon_schema_migrations; later changes are scripts of their own (002-...), never edits here
-- (Beacon.Tests' SchemaScriptTests pins this file). Older Beacons ran this same SQL at every start-up,
-- so it stays re-runnable: on a database one of them made it changes nothing and is recorded. By hand,
-- run it inside ONE transaction (`psql --single-transaction -f`). Why it is safe to re-run:
--   * the advisory lock serialises runs that start together (an older Beacon's with the runner's),
--     because concurrent CREATE ... IF NOT EXISTS / CREATE OR REPLACE FUNCTION can fail with
--     duplicate-key or "tuple concurrently updated" errors when they race;
--   * tables/indexes use IF NOT EXISTS, functions use CREATE OR REPLACE, query rows are upserted
--     (a later script replaces a query text the same way).
-- Objects are created in the first schema of search_path; the providers must connect with the
-- same search_path because the query texts use unqualified names.

SELECT pg_advisory_xact_lock(hashtextextended('beacon:orleans-postgres-schema', 0));

-------------------------------------------------------------------------------------------------
-- Query catalogue read by every provider. The name is fixed by the providers (unquoted, so it
-- folds to lower case).
-------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL PRIMARY KEY,
    querytext text        NOT NULL
);

-- ETags handed to Orleans are parsed as int32, so counters wrap instead of overflowing; a
-- compare-and-swap only needs the new value to differ from the old one.
CREATE OR REPLACE FUNCTION orleans_next_version(p_version integer)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_version >= 2147483647 THEN 1 ELSE p_version + 1 END
$$;

-------------------------------------------------------------------------------------------------
-- Grain persistence
-------------------------------------------------------------------------------------------------
-- The provider identifies a state record by (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1,
-- GrainIdExtensionString). GrainTypeString is the state name (e.g. "state" for Grain<T>), and the
-- string parts can be arbitrarily long, which rules out a plain btree key on them. The record key
-- is therefore a SHA-256 over a length-prefixed encoding of those parts. Its hash parameters
-- (GrainIdHash, GrainTypeHash) are deliberately ignored: they depend on the configured
-- IStorageHasherPicker, and changing the hasher must not orphan stored state.
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    grain_key          bytea       NOT NULL PRIMARY KEY,
    service_id         text        NOT NULL,
    state_name         text        NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text            NULL,
    payload            bytea           NULL, -- NULL after ClearState: the row keeps the version.
    version            integer     NOT NULL,
    modified_at        timestamptz NOT NULL DEFAULT now()
);

-- A record that grows with its newest changes (a register entity's history page) can be rewritten in place, as a
-- heap-only tuple, only while its page has room; a full page moves it and adds an index entry to every such write.
ALTER TABLE orleans_grain_state SET (fillfactor = 80);

-- NULL and '' extensions are different grains, so NULL is encoded as '-' and a string as
-- "<length>:<text>", which no string value can produce.
CREATE OR REPLACE FUNCTION orleans_grain_key(
    p_service_id text, p_state_name text, p_n0 bigint, p_n1 bigint, p_extension text)
RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT sha256(convert_to(
        length(p_service_id)::text || ':' || p_service_id
        || '|' || length(p_state_name)::text || ':' || p_state_name
        || '|' || p_n0::text
        || '|' || p_n1::text
        || '|' || coalesce(length(p_extension)::text || ':' || p_extension, '-'),
        'UTF8'))
$$;

-- The identity columns are compared as well as the digest so that a digest collision can only
-- ever make an operation fail, never hand one grain another grain's state.
CREATE OR REPLACE FUNCTION orleans_grain_state_read(
    p_service_id text, p_state_name text, p_n0 bigint, p_n1 bigint, p_extension text)
RETURNS TABLE (payload bytea, version integer)
LANGUAGE sql STABLE
AS $$
    SELECT s.payload, s.version
    FROM orleans_grain_state AS s
    WHERE s.grain_key = orleans_grain_key(p_service_id, p_state_name, p_n0, p_n1, p_extension)
      AND s.service_id = p_service_id
      AND s.state_name = p_state_name
      AND s.grain_id_n0 = p_n0
      AND s.grain_id_n1 = p_n1
      AND s.grain_id_extension IS NOT DISTINCT FROM p_extension
$$;

-- Returns the new version, or NULL when the caller's ETag is stale. The provider turns NULL (and
-- an unchanged version) into InconsistentStateException, so NULL must be returned rather than
-- zero rows: with zero rows and no ETag the provider would silently accept a lost first write.
CREATE OR REPLACE FUNCTION orleans_grain_state_write(
    p_service_id text, p_state_name text, p_n0 bigint, p_n1 bigint, p_extension text,
    p_expected_version integer, p_payload bytea)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_key bytea := orleans_grain_key(p_service_id, p_state_name, p_n0, p_n1, p_extension);
    v_new integer;
BEGIN
    IF p_expected_version IS NULL THEN
        -- No ETag means the grain saw no record; ON CONFLICT makes a racing activation lose
        -- instead of overwriting the winner.
        INSERT INTO orleans_grain_state AS s
            (grain_key, service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension,
             payload, version)
        VALUES
            (v_key, p_service_id, p_state_name, p_n0, p_n1, p_extension, p_payload, 1)
        ON CONFLICT (grain_key) DO NOTHING
        RETURNING s.version INTO v_new;
        RETURN v_new;
    END IF;

    UPDATE orleans_grain_state AS s
       SET payload = p_payload,
           version = orleans_next_version(s.version),
           modified_at = now()
     WHERE s.grain_key = v_key
       AND s.service_id = p_service_id
       AND s.state_name = p_state_name
       AND s.grain_id_n0 = p_n0
       AND s.grain_id_n1 = p_n1
       AND s.grain_id_extension IS NOT DISTINCT FROM p_extension
       AND s.version = p_expected_version
    RETURNING s.version INTO v_new;
    RETURN v_new;
END
$$;

-- ClearState keeps the row (payload NULL) so the version keeps increasing across clear/write
-- cycles; a later write with the returned ETag updates it in place.
CREATE OR REPLACE FUNCTION orleans_grain_state_clear(
    p_service_id text, p_state_name text, p_n0 bigint, p_n1 bigint, p_extension text,
    p_expected_version integer)
RETURNS integer
LANGUAGE sql
AS $$
    UPDATE orleans_grain_state AS s
       SET payload = NULL,
           version = orleans_next_version(s.version),
           modified_at = now()
     WHERE s.grain_key = orleans_grain_key(p_service_id, p_state_name, p_n0, p_n1, p_extension)
       AND s.service_id = p_service_id
       AND s.state_name = p_state_name
       AND s.grain_id_n0 = p_n0
       AND s.grain_id_n1 = p_n1
       AND s.grain_id_extension IS NOT DISTINCT FROM p_extension
       AND s.version = p_expected_version
    RETURNING s.version
$$;

-- Used instead of the clear function when AdoNetGrainStorageOptions.DeleteStateOnClear is true.
-- The provider only needs a value different from the old ETag (it then forgets the ETag), so the
-- would-be next version is returned.
CREATE OR REPLACE FUNCTION orleans_grain_state_delete(
    p_service_id text, p_state_name text, p_n0 bigint, p_n1 bigint, p_extension text,
    p_expected_version integer)
RETURNS integer
LANGUAGE sql
AS $$
    DELETE FROM orleans_grain_state AS s
     WHERE s.grain_key = orleans_grain_key(p_service_id, p_state_name, p_n0, p_n1, p_extension)
       AND s.service_id = p_service_id
       AND s.state_name = p_state_name
       AND s.grain_id_n0 = p_n0
       AND s.grain_id_n1 = p_n1
       AND s.grain_id_extension IS NOT DISTINCT FROM p_extension
       AND s.version = p_expected_version
    RETURNING orleans_next_version(s.version)
$$;

-------------------------------------------------------------------------------------------------
-- Clustering (membership)
-------------------------------------------------------------------------------------------------
-- Orleans' membership protocol uses a single table-wide version per cluster as the only
-- concurrency token: every insert/update of a silo row must move it from the version the silo
-- read to the next one, atomically with the row change. Row ETags are not used by the provider.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id text        NOT NULL PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    modified_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   text        NOT NULL
        REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         varchar(45) NOT NULL, -- textual IPv4/IPv6
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL, -- Orleans.Runtime.SiloStatus; 6 = Dead
    proxy_port      integer     NOT NULL, -- 0 when the silo is not a gateway
    suspect_times   text            NULL, -- provider-formatted "silo,date|silo,date"
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- The FOR UPDATE re-checks the version after waiting for a concurrent writer (READ COMMITTED
-- re-evaluates the predicate on the newest row), so of two silos that read the same version only
-- one can win.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1
       FROM orleans_membership_version
      WHERE deployment_id = p_deployment_id
        AND version = p_expected_version
        FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
         suspect_times, start_time, i_am_alive_time)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
         p_proxy_port, NULL, p_start_time, p_i_am_alive_time)
    ON CONFLICT (deployment_id, address, port, generation) DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
       SET version = orleans_next_version(version), modified_at = now()
     WHERE deployment_id = p_deployment_id;
    RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1
       FROM orleans_membership_version
      WHERE deployment_id = p_deployment_id
        AND version = p_expected_version
        FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership
       SET status = p_status,
           suspect_times = p_suspect_times,
           i_am_alive_time = p_i_am_alive_time
     WHERE deployment_id = p_deployment_id
       AND address = p_address
       AND port = p_port
       AND generation = p_generation;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
       SET version = orleans_next_version(version), modified_at = now()
     WHERE deployment_id = p_deployment_id;
    RETURN true;
END
$$;

-------------------------------------------------------------------------------------------------
-- Reminders
-------------------------------------------------------------------------------------------------
-- grain_hash is GrainId.GetUniformHashCode() reinterpreted as int32 by the provider; range reads
-- compare it in signed order, which preserves the ring's cyclic order.
CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL, -- GrainId.ToString(), parsed back by the provider
    reminder_name text        NOT NULL,
    grain_hash    integer     NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Every silo's reminder service reads its slice of the hash ring periodically.
CREATE INDEX IF NOT EXISTS orleans_reminder_service_hash_idx
    ON orleans_reminder (service_id, grain_hash);

-------------------------------------------------------------------------------------------------
-- The query texts the providers execute. Parameter and result-column names are the providers'
-- contract; result columns are quoted because the providers look them up in PascalCase.
-------------------------------------------------------------------------------------------------
INSERT INTO orleansquery (querykey, querytext)
VALUES
    -- Grain persistence
    ('ReadFromStorageKey',
     'SELECT r.payload AS "PayloadBinary", r.version AS "Version"
        FROM orleans_grain_state_read(@ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
                                      @GrainIdExtensionString) AS r'),
    ('WriteToStorageKey',
     'SELECT orleans_grain_state_write(@ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
                                       @GrainIdExtensionString, @GrainStateVersion,
                                       @PayloadBinary) AS "NewGrainStateVersion"'),
    ('ClearStorageKey',
     'SELECT orleans_grain_state_clear(@ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
                                       @GrainIdExtensionString, @GrainStateVersion) AS "Version"'),
    ('DeleteStorageKey',
     'SELECT orleans_grain_state_delete(@ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
                                        @GrainIdExtensionString, @GrainStateVersion) AS "Version"'),

    -- Clustering
    ('InsertMembershipVersionKey',
     'WITH created AS (
          INSERT INTO orleans_membership_version (deployment_id, version)
          VALUES (@DeploymentId, 0)
          ON CONFLICT (deployment_id) DO NOTHING
          RETURNING 1)
      SELECT EXISTS (SELECT 1 FROM created) AS "Created"'),
    ('InsertMembershipKey',
     'SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName,
                                       @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime,
                                       @Version) AS "Inserted"'),
    ('UpdateMembershipKey',
     'SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status,
                                       @SuspectTimes, @IAmAliveTime, @Version) AS "Updated"'),
    -- Heartbeats are not membership changes, so they deliberately leave the table version alone.
    ('UpdateIAmAlivetimeKey',
     'UPDATE orleans_membership
         SET i_am_alive_time = @IAmAliveTime
       WHERE deployment_id = @DeploymentId
         AND address = @Address AND port = @Port AND generation = @Generation'),
    -- Both reads must return the version row even when no silo row matches; the provider takes
    -- the table version from the first row and treats a NULL StartTime as "no silo here".
    ('MembershipReadAllKey',
     'SELECT v.version AS "Version",
             m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
             m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
             m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
             m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
        FROM orleans_membership_version AS v
        LEFT JOIN orleans_membership AS m ON m.deployment_id = v.deployment_id
       WHERE v.deployment_id = @DeploymentId'),
    ('MembershipReadRowKey',
     'SELECT v.version AS "Version",
             m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
             m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
             m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
             m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
        FROM orleans_membership_version AS v
        LEFT JOIN orleans_membership AS m
               ON m.deployment_id = v.deployment_id
              AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
       WHERE v.deployment_id = @DeploymentId'),
    ('GatewaysQueryKey',
     'SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
        FROM orleans_membership
       WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0'),
    ('DeleteMembershipTableEntriesKey',
     'DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId'),
    -- Used by providers without the per-row variant below.
    ('CleanupDefunctSiloEntriesKey',
     'DELETE FROM orleans_membership
       WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime'),
    -- Optional since 10.4: the provider picks expired dead rows from its own read and deletes each
    -- only if it is unchanged since. NULL and '' suspect lists are the same "no votes" value.
    ('CleanupDefunctSiloEntryKey',
     'DELETE FROM orleans_membership
       WHERE deployment_id = @DeploymentId
         AND address = @Address AND port = @Port AND generation = @Generation
         AND status = 6
         AND start_time = @StartTime
         AND i_am_alive_time = @IAmAliveTime
         AND coalesce(suspect_times, '''') = coalesce(@SuspectTimes, '''')'),

    -- Reminders
    ('UpsertReminderRowKey',
     'INSERT INTO orleans_reminder AS r
          (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
      VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 0)
      ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
         SET grain_hash = EXCLUDED.grain_hash,
             start_time = EXCLUDED.start_time,
             period_ms  = EXCLUDED.period_ms,
             version    = orleans_next_version(r.version)
      RETURNING r.version AS "Version"'),
    ('ReadReminderRowsKey',
     'SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
             period_ms AS "Period", version AS "Version"
        FROM orleans_reminder
       WHERE service_id = @ServiceId AND grain_id = @GrainId'),
    ('ReadReminderRowKey',
     'SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
             period_ms AS "Period", version AS "Version"
        FROM orleans_reminder
       WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName'),
    -- Ring range (BeginHash, EndHash]; the provider picks this text when Begin < End ...
    ('ReadRangeRows1Key',
     'SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
             period_ms AS "Period", version AS "Version"
        FROM orleans_reminder
       WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash'),
    -- ... and this one when the range wraps around (Begin >= End, including the full ring).
    ('ReadRangeRows2Key',
     'SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
             period_ms AS "Period", version AS "Version"
        FROM orleans_reminder
       WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)'),
    ('DeleteReminderRowKey',
     'WITH removed AS (
          DELETE FROM orleans_reminder
           WHERE service_id = @ServiceId AND grain_id = @GrainId
             AND reminder_name = @ReminderName AND version = @Version
          RETURNING 1)
      SELECT EXISTS (SELECT 1 FROM removed) AS "Deleted"'),
    ('DeleteReminderRowsKey',
     'DELETE FROM orleans_reminder WHERE service_id = @ServiceId')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
