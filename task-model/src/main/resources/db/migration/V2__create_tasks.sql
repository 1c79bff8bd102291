-- Tasks are the source of truth, and each device's FIFO.
CREATE TABLE tasks (
    id               uuid PRIMARY KEY,
    device_id        text        NOT NULL REFERENCES devices (id),
    client_id        text        NOT NULL,
    method_code      text        NOT NULL,
    priority         smallint    NOT NULL CHECK (priority BETWEEN 0 AND 9),
    payload          jsonb       NOT NULL,
    external_id      text,
    idempotency_key  text,
    status           text        NOT NULL CHECK (status IN ('QUEUED', 'PENDING', 'LOCKED', 'DONE',
                                                           'FAILED', 'EXPIRED', 'TIMED_OUT', 'CANCELLED')),
    attempts         integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    deadline_at      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    acknowledged_at  timestamptz,
    locked_at        timestamptz,
    lease_expires_at timestamptz,
    finished_at      timestamptz,
    status_code      integer,
    result           jsonb,
    result_id        uuid
);

-- The FIFO claim: the head of one device's waiting tasks is one index scan.
CREATE INDEX tasks_fifo ON tasks (device_id, priority DESC, deadline_at, created_at)
    WHERE status IN ('QUEUED', 'PENDING');

-- Sweeps touch only live tasks.
CREATE INDEX tasks_waiting_deadline ON tasks (deadline_at) WHERE status IN ('QUEUED', 'PENDING');
CREATE INDEX tasks_locked_lease ON tasks (lease_expires_at) WHERE status = 'LOCKED';

-- A retried POST with the same Idempotency-Key returns the same task.
CREATE UNIQUE INDEX tasks_idempotency ON tasks (client_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- Listing: newest first, per device and per external id.
CREATE INDEX tasks_by_device ON tasks (device_id, created_at DESC, id DESC);
CREATE INDEX tasks_by_external_id ON tasks (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX tasks_by_created ON tasks (created_at DESC, id DESC);
