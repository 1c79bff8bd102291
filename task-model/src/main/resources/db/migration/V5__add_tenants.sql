-- Tenants isolate control-center clients: a client sees and touches only its tenant's devices
-- and tasks. Rows created before tenants existed belong to the tenant 'default'.
ALTER TABLE devices ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE tasks ADD COLUMN tenant text NOT NULL DEFAULT 'default';

CREATE INDEX devices_by_tenant ON devices (tenant, created_at DESC, id DESC);
CREATE INDEX tasks_by_tenant ON tasks (tenant, created_at DESC, id DESC);
