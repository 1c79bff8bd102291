-- Online-only tasks (the seed's ttl=0 trigger-only mode): delivered while the device is online,
-- never kept waiting for an offline one. Such a task whose device is offline ends UNREACHABLE:
-- at creation (the insert reads devices.online), when the device disconnects while it waits, or
-- when its lease passes or its push comes back while the device is away.
ALTER TABLE tasks
    ADD COLUMN online_only      boolean  NOT NULL DEFAULT false,
    -- The latest progress the device holding the task reported (dev/<SN>/prg); every report is
    -- also a task event (LOCKED -> LOCKED, cause PROGRESS) and a task.progress tenant event.
    ADD COLUMN progress_percent smallint CHECK (progress_percent BETWEEN 0 AND 100),
    ADD COLUMN progress_message text,
    ADD COLUMN progress_at      timestamptz;

-- NOT VALID first, then VALIDATE: the check of existing rows runs without blocking writes.
ALTER TABLE tasks DROP CONSTRAINT tasks_status_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
    CHECK (status IN ('QUEUED', 'PENDING', 'LOCKED', 'DONE', 'FAILED', 'EXPIRED', 'TIMED_OUT',
                      'CANCELLED', 'UNREACHABLE')) NOT VALID;
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_status_check;

-- A disconnect ends the device's waiting online-only tasks, and the sweep looks for those whose
-- device went offline unseen: both are one probe of this index.
CREATE INDEX tasks_online_only_waiting ON tasks (device_id)
    WHERE online_only AND status IN ('QUEUED', 'PENDING');
