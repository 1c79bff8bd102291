-- The device registry. The id is the certificate CN and the MQTT client id.
CREATE TABLE devices (
    id           text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
    display_name text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    online       boolean     NOT NULL DEFAULT false,
    connected_at timestamptz,
    last_seen_at timestamptz
);
