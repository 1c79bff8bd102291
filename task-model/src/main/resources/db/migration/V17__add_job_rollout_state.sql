-- What the rollout scheduler (core-service job/) keeps between two of its decisions on a job.
ALTER TABLE jobs
    -- The instant up to which the rollout has spent its allowance: a decision may create
    -- rate x (now - rollout_clock) executions and moves the clock on by what it created, so the
    -- fraction of an execution a decision could not start is carried to the next one.
    ADD COLUMN rollout_clock   timestamptz,
    -- The roll-up the job's last job.progress event told: a decision tells only a change.
    ADD COLUMN reported_counts jsonb;
