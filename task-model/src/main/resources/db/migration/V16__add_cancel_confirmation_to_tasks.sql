-- The cancel of a task a v2 device held (LOCKED) is told to the device (srv/<SN>/cnl); its first
-- answer (dev/<SN>/cna) is recorded here, once, with a task event CANCELLED -> CANCELLED (cause
-- CANCEL_CONFIRMED). Null: not confirmed (never told: a v1 device or a waiting task; or no answer).
ALTER TABLE tasks
    ADD COLUMN cancel_confirmed_at timestamptz,
    ADD COLUMN cancel_outcome      text CHECK (cancel_outcome IN ('stopped', 'finished', 'unknown'));
