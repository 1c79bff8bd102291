-- Device protocol v2 (push) is opt-in per device: the device declares it with the user property
-- protocol=2 on its requests, and the core records the declaration here (v1 until then).
ALTER TABLE devices
    ADD COLUMN protocol_version     smallint NOT NULL DEFAULT 1 CHECK (protocol_version IN (1, 2)),
    ADD COLUMN protocol_declared_at timestamptz;

-- A v2 device holds one pushed task at a time: "does it hold one?" is one index probe.
CREATE INDEX tasks_locked_by_device ON tasks (device_id) WHERE status = 'LOCKED';
