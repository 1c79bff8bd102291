-- What a tenant's apps are told: every finished task, progress report, stored device event and
-- presence change, in one log that the event stream (GET /api/v1/events) and the webhooks read.
--
-- Rows are ordered by (tx, id): tx is the writing transaction's id. A reader takes only rows with
-- tx < pg_snapshot_xmin(pg_current_snapshot()), the transactions that have all ended, so the part
-- it reads never grows behind its cursor: a position resumes with no gap and no duplicate, which
-- an identity alone cannot promise (ids are drawn before commit, commits land in any order).
--
-- A row holds references, not copies: the finished task's result is read from its row (it no
-- longer changes), the device event from device_events. Triggers write the rows, so every path
-- that finishes a task (results, sweeps, cancels) or stores an event is covered once.
CREATE TABLE tenant_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx              xid8        NOT NULL DEFAULT pg_current_xact_id(),
    tenant          text        NOT NULL,
    type            text        NOT NULL CHECK (type IN ('task.finished', 'task.progress',
                                                         'device.event', 'device.presence')),
    device_id       text        NOT NULL,
    task_id         uuid,
    device_event_id bigint,
    at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- Only what no other row keeps: a progress report, a presence change.
    data            jsonb
);

-- The readers: one tenant's log from a position; every tenant's (the fan-out to webhooks and to
-- the stream's subscribers); retention by age.
CREATE INDEX tenant_events_by_tenant ON tenant_events (tenant, tx, id);
CREATE INDEX tenant_events_by_position ON tenant_events (tx, id);
CREATE INDEX tenant_events_by_age ON tenant_events (at);

CREATE FUNCTION tenant_event_task_finished() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tenant_events (tenant, type, device_id, task_id, at)
    VALUES (NEW.tenant, 'task.finished', NEW.device_id, NEW.id, COALESCE(NEW.finished_at, now()));
    RETURN NULL;
END $$;

-- A task finishes once (TaskTransitions allows no way out of a final status), so this fires once
-- per task, whichever service finished it.
CREATE TRIGGER tasks_finished AFTER UPDATE OF status ON tasks
    FOR EACH ROW
    WHEN (OLD.status IN ('QUEUED', 'PENDING', 'LOCKED')
          AND NEW.status NOT IN ('QUEUED', 'PENDING', 'LOCKED'))
    EXECUTE FUNCTION tenant_event_task_finished();

-- A task created already finished (an online-only task for an offline device) is told too.
CREATE TRIGGER tasks_created_finished AFTER INSERT ON tasks
    FOR EACH ROW
    WHEN (NEW.status NOT IN ('QUEUED', 'PENDING', 'LOCKED'))
    EXECUTE FUNCTION tenant_event_task_finished();

CREATE FUNCTION tenant_event_device_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tenant_events (tenant, type, device_id, device_event_id, at)
    SELECT d.tenant, 'device.event', NEW.device_id, NEW.id, NEW.received_at
      FROM devices d WHERE d.id = NEW.device_id;
    RETURN NULL;
END $$;

-- Fires for stored rows only: a resent event (ON CONFLICT DO NOTHING) is told once.
CREATE TRIGGER device_events_stored AFTER INSERT ON device_events
    FOR EACH ROW EXECUTE FUNCTION tenant_event_device_event();

CREATE FUNCTION tenant_event_device_presence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tenant_events (tenant, type, device_id, data)
    VALUES (NEW.tenant, 'device.presence', NEW.id,
            jsonb_build_object('online', NEW.online,
                               'connected_at', NEW.connected_at,
                               'last_seen_at', NEW.last_seen_at));
    RETURN NULL;
END $$;

CREATE TRIGGER devices_presence AFTER UPDATE OF online ON devices
    FOR EACH ROW
    WHEN (OLD.online IS DISTINCT FROM NEW.online)
    EXECUTE FUNCTION tenant_event_device_presence();
