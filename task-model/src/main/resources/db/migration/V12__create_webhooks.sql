-- Signed webhooks (api-service io.asyncrpc.api.webhook, docs/webhooks.md): a tenant's endpoints,
-- the deliveries fanned out to them from tenant_events, and every attempt of each delivery.
CREATE TABLE webhook_endpoints (
    id                   uuid PRIMARY KEY,
    tenant               text        NOT NULL,
    url                  text        NOT NULL,
    description          text,
    event_types          text[]      NOT NULL,
    enabled              boolean     NOT NULL DEFAULT true,
    -- The signing secret (whsec_...); after a rotation the previous one signs too until it expires.
    secret               text        NOT NULL,
    previous_secret      text,
    previous_expires_at  timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    disabled_reason      text,
    disabled_at          timestamptz,
    -- Failed attempts in a row, and when the first of them was made: an endpoint that keeps
    -- failing is disabled.
    consecutive_failures integer     NOT NULL DEFAULT 0,
    failing_since        timestamptz
);

CREATE INDEX webhook_endpoints_by_tenant ON webhook_endpoints (tenant, created_at DESC, id DESC);

-- Where the fan-out stands in tenant_events: one row, locked FOR UPDATE SKIP LOCKED by the
-- instance fanning out, so several api-service instances never fan out the same event twice.
-- It starts at the log's end: an endpoint is told what happens after the feature exists.
CREATE TABLE webhook_fanout (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    tx        bigint  NOT NULL,
    event_id  bigint  NOT NULL
);

INSERT INTO webhook_fanout (tx, event_id)
SELECT COALESCE((SELECT tx::text::bigint FROM tenant_events ORDER BY tx DESC, id DESC LIMIT 1), 0),
       COALESCE((SELECT id FROM tenant_events ORDER BY tx DESC, id DESC LIMIT 1), 0);

-- One message of one event to one endpoint. Its id is the webhook-id header, the same in every
-- attempt; the body is stored so every attempt sends the same bytes.
CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY,
    endpoint_id     uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type      text        NOT NULL,
    event_tx        bigint      NOT NULL,
    event_id        bigint      NOT NULL,
    event_at        timestamptz NOT NULL,
    body            text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    -- Due when pending; a sender's claim moves it to the claim's lease end, so a claim whose
    -- sender died is taken again then. claim names the current claim, so a late answer of an
    -- expired one changes nothing.
    next_attempt_at timestamptz,
    claim           uuid,
    -- A retry asked for through the API is one attempt: no automatic retries after it.
    manual          boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    UNIQUE (endpoint_id, event_tx, event_id)
);

-- The senders' claim: due pending deliveries, oldest due first.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- The listing: an endpoint's deliveries, newest first.
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
-- Retention deletes finished deliveries, oldest first.
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE status <> 'pending';

CREATE TABLE webhook_attempts (
    delivery_id uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     integer     NOT NULL,
    at          timestamptz NOT NULL,
    status_code integer,
    duration_ms bigint      NOT NULL,
    error       text,
    PRIMARY KEY (delivery_id, attempt)
);
