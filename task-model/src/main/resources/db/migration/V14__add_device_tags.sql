-- Device tags (key/value): what fleet jobs and listings select devices by. The API validates and
-- limits them; the column only insists on an object of strings.
ALTER TABLE devices
    ADD COLUMN tags jsonb NOT NULL DEFAULT '{}'::jsonb
        CHECK (jsonb_typeof(tags) = 'object');

-- "Devices with tag k=v" is a containment test (tags @> '{"k": "v"}') on this index.
CREATE INDEX devices_by_tags ON devices USING gin (tags jsonb_path_ops);
