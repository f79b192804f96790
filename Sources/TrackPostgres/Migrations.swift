/// The schema, as numbered steps. Never edit a shipped step: append a new one.
///
/// Table and column names are Traccar's, so SQL and Grafana panels written for a Traccar database
/// run unchanged; times are `timestamp` holding UTC, as in Traccar. Ids are 64-bit where Traccar's
/// are 32-bit and `attributes`/`network` are `text` where Traccar's are varchar(4000) (a
/// 64 KiB request can carry more), which Traccar queries do not notice.
enum Migrations {
    struct Step {
        let version: Int
        let summary: String
        let sql: String
    }

    static let all: [Step] = [
        Step(version: 1, summary: "devices and positions", sql: """
            CREATE TABLE tc_devices (
                id serial PRIMARY KEY,
                name varchar(128) NOT NULL,
                uniqueid varchar(128) NOT NULL UNIQUE,
                lastupdate timestamp,
                positionid bigint,
                groupid integer,
                attributes varchar(4000) NOT NULL DEFAULT '{}',
                phone varchar(128),
                model varchar(128),
                contact varchar(512),
                category varchar(128),
                disabled boolean NOT NULL DEFAULT false,
                status varchar(8),
                expirationtime timestamp,
                calendarid integer
            );
            CREATE TABLE tc_positions (
                id bigserial PRIMARY KEY,
                protocol varchar(128),
                deviceid integer NOT NULL REFERENCES tc_devices (id) ON DELETE CASCADE,
                servertime timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                devicetime timestamp NOT NULL,
                fixtime timestamp NOT NULL,
                valid boolean NOT NULL,
                latitude double precision NOT NULL,
                longitude double precision NOT NULL,
                altitude double precision NOT NULL,
                speed double precision NOT NULL,
                course double precision NOT NULL,
                address varchar(512),
                attributes text,
                accuracy double precision NOT NULL DEFAULT 0,
                network text,
                geofenceids varchar(128)
            );
            -- A phone that retries a point it already sent must not create a second row. Its leading
            -- (deviceid, fixtime) also serves Traccar's per-device time-range queries, so Traccar's own
            -- position_deviceid_fixtime index would only slow inserts down.
            CREATE UNIQUE INDEX it_positions_retry ON tc_positions (deviceid, fixtime, devicetime, latitude, longitude);
            """),
        Step(version: 2, summary: "Kafka publish cursors", sql: """
            -- One row per publishing node and topic: every position id up to position_id is on the topic.
            CREATE TABLE it_publish_cursors (
                node varchar(128) NOT NULL,
                topic varchar(255) NOT NULL,
                position_id bigint NOT NULL DEFAULT 0,
                updated timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                PRIMARY KEY (node, topic)
            );
            """),
    ]
}
