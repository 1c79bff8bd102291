-- Device identities: one-time enrollment tokens and every certificate issued.
CREATE TABLE enrollment_tokens (
    token_hash text PRIMARY KEY,
    device_id  text        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);

CREATE INDEX enrollment_tokens_by_device ON enrollment_tokens (device_id);

CREATE TABLE certificates (
    serial            text PRIMARY KEY,          -- lower-case hex
    device_id         text        NOT NULL REFERENCES devices (id),
    subject           text        NOT NULL,
    not_before        timestamptz NOT NULL,
    not_after         timestamptz NOT NULL,
    status            text        NOT NULL CHECK (status IN ('VALID', 'REVOKED')),
    key_from_server   boolean     NOT NULL,      -- a bundle made by ca-service, not a device CSR
    pem               text        NOT NULL,
    issued_at         timestamptz NOT NULL DEFAULT now(),
    revoked_at        timestamptz,
    revocation_reason text
);

CREATE INDEX certificates_by_device ON certificates (device_id, issued_at DESC);
CREATE INDEX certificates_revoked ON certificates (revoked_at) WHERE status = 'REVOKED';
