-- Control-center clients: client credentials (the secret stored hashed) exchanged at ca-service
-- for short-lived RS256 JWTs carrying the client's tenant and scopes.
CREATE TABLE api_clients (
    id          text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.-]{1,64}$'),
    tenant      text        NOT NULL CHECK (tenant ~ '^[A-Za-z0-9_.-]{1,64}$'),
    secret_hash text        NOT NULL,
    scopes      text[]      NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz
);
