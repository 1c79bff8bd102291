-- Events devices publish on dev/<SN>/evt (the seed's wire contract), stored once per
-- (device, dev_event_id, dev_timestamp) however often the device resends them.
CREATE TABLE device_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id       text        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    event_type_code bigint      NOT NULL CHECK (event_type_code >= 0),
    dev_event_id    bigint      NOT NULL CHECK (dev_event_id >= 0),
    dev_timestamp   timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    correlation     text,
    payload         jsonb
);

CREATE UNIQUE INDEX device_events_identity ON device_events (device_id, dev_event_id, dev_timestamp);

-- Reading: a device's events by device time, newest first; its latest event of each type.
CREATE INDEX device_events_by_time ON device_events (device_id, dev_timestamp DESC, id DESC);
CREATE INDEX device_events_latest ON device_events (device_id, event_type_code, dev_timestamp DESC, id DESC);

-- Retention deletes the oldest first.
CREATE INDEX device_events_by_received ON device_events (received_at);
