-- Every transition of every task, for history and audit.
CREATE TABLE task_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id     uuid        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    from_status text,
    to_status   text        NOT NULL,
    cause       text        NOT NULL,
    attempt     integer     NOT NULL,
    actor       text        NOT NULL,
    detail      text,
    at          timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX task_events_by_task ON task_events (task_id, id);
