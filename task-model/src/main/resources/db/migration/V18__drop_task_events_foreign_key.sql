-- Every task event is inserted by the statement that changes its task (the same data-modifying
-- CTE, or the insert of the task itself), so its reference cannot dangle; checking it cost a
-- lookup and a row lock of the task per event, three a lifecycle. Tasks are never deleted, so
-- nothing needs the cascade either: code that deletes tasks deletes their events with them.
ALTER TABLE task_events DROP CONSTRAINT task_events_task_id_fkey;
