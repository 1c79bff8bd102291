-- Fleet jobs: one request, many devices. A job keeps what to send and how fast; each execution is
-- an ordinary task with the job's id, so FIFO, priority, TTL, leases, v1/v2 devices, events,
-- progress and webhooks work for it unchanged.
CREATE TABLE jobs (
    id                 uuid PRIMARY KEY,
    tenant             text        NOT NULL,
    client_id          text        NOT NULL,
    idempotency_key    text,
    status             text        NOT NULL CHECK (status IN ('SCHEDULED', 'IN_PROGRESS',
                                                              'COMPLETED', 'CANCELLED', 'ABORTED')),
    method_code        text        NOT NULL,
    -- The payload of every execution; {{device.id}} and {{device.tags.<key>}} are filled in per
    -- device when the execution is created (docs/jobs.md).
    payload            jsonb       NOT NULL,
    priority           smallint    NOT NULL CHECK (priority BETWEEN 0 AND 9),
    -- Each execution's time to live, counted from its creation, and its retries after TIMED_OUT.
    execution_ttl      integer     NOT NULL CHECK (execution_ttl > 0),
    execution_retries  integer     NOT NULL DEFAULT 0 CHECK (execution_retries BETWEEN 0 AND 10),
    -- As the client gave them: {"device_ids": [...]} or {"tag": "k:v"}, {"continuous": bool}.
    targets            jsonb       NOT NULL,
    -- {"max_per_minute": n} or {"base_per_minute": n, "increment_factor": f,
    --  "increase_after_notified": n | "increase_after_succeeded": n}.
    rollout            jsonb       NOT NULL,
    -- [{"failure_type": "FAILED|TIMED_OUT|EXPIRED|ANY", "min_executed": n, "threshold_percent": p}]
    abort_criteria     jsonb       NOT NULL DEFAULT '[]'::jsonb,
    start_at           timestamptz NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    started_at         timestamptz,
    finished_at        timestamptz,
    -- Why it was aborted or cancelled, in words.
    status_reason      text,
    target_count       integer     NOT NULL DEFAULT 0,
    executions_created integer     NOT NULL DEFAULT 0,
    cancel_confirmed   integer     NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX jobs_idempotency ON jobs (client_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_by_tenant ON jobs (tenant, created_at DESC, id DESC);
-- The rollout's work list: jobs that may start executions.
CREATE INDEX jobs_running ON jobs (start_at) WHERE status IN ('SCHEDULED', 'IN_PROGRESS');

-- The devices a job targets, in rollout order. The primary key is the promise that no device
-- gets two executions of one job; task_id is set in the statement that creates the execution.
CREATE TABLE job_targets (
    job_id    uuid    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    device_id text    NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    position  integer NOT NULL,
    task_id   uuid,
    PRIMARY KEY (job_id, device_id)
);

CREATE INDEX job_targets_waiting ON job_targets (job_id, position) WHERE task_id IS NULL;

ALTER TABLE tasks ADD COLUMN job_id uuid REFERENCES jobs (id) ON DELETE SET NULL;
-- A job's roll-up (counts per status) is one index scan.
CREATE INDEX tasks_by_job ON tasks (job_id, status) WHERE job_id IS NOT NULL;

-- Jobs tell their apps too: job.progress and job.finished, with no device of their own.
ALTER TABLE tenant_events ALTER COLUMN device_id DROP NOT NULL;
ALTER TABLE tenant_events ADD COLUMN job_id uuid;
ALTER TABLE tenant_events DROP CONSTRAINT tenant_events_type_check;
ALTER TABLE tenant_events ADD CONSTRAINT tenant_events_type_check
    CHECK (type IN ('task.finished', 'task.progress', 'device.event', 'device.presence',
                    'job.progress', 'job.finished'));
