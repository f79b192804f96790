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
        Step(version: 3, summary: "analytics results, geofences and events", sql: """
            -- The analytics worker replaces a device's rows from the first start a batch changed, so a
            -- replay after a crash rewrites the same rows. Durations are seconds, distances metres, speeds m/s.
            CREATE TABLE it_stays (
                deviceid integer NOT NULL REFERENCES tc_devices (id) ON DELETE CASCADE,
                starttime timestamp NOT NULL,
                endtime timestamp NOT NULL,
                duration double precision NOT NULL,
                latitude double precision NOT NULL,
                longitude double precision NOT NULL,
                fixes integer NOT NULL,
                open boolean NOT NULL,
                PRIMARY KEY (deviceid, starttime)
            );
            CREATE TABLE it_trips (
                deviceid integer NOT NULL REFERENCES tc_devices (id) ON DELETE CASCADE,
                starttime timestamp NOT NULL,
                endtime timestamp NOT NULL,
                duration double precision NOT NULL,
                startlatitude double precision NOT NULL,
                startlongitude double precision NOT NULL,
                endlatitude double precision NOT NULL,
                endlongitude double precision NOT NULL,
                distance double precision NOT NULL,
                meanspeed double precision NOT NULL,
                maxspeed double precision NOT NULL,
                fixes integer NOT NULL,
                fastfixes integer NOT NULL,
                walking boolean NOT NULL,
                open boolean NOT NULL,
                PRIMARY KEY (deviceid, starttime)
            );
            CREATE TABLE it_daily (
                deviceid integer NOT NULL REFERENCES tc_devices (id) ON DELETE CASCADE,
                day date NOT NULL,
                walkingdistance double precision NOT NULL,
                activetime double precision NOT NULL,
                PRIMARY KEY (deviceid, day)
            );
            -- One row per device, cell and minute: workers that each see some devices write into one
            -- table, and it_density counts them.
            CREATE TABLE it_density_visits (
                minute timestamp NOT NULL,
                cellrow integer NOT NULL,
                cellcolumn integer NOT NULL,
                deviceid integer NOT NULL REFERENCES tc_devices (id) ON DELETE CASCADE,
                latitude double precision NOT NULL,
                longitude double precision NOT NULL,
                PRIMARY KEY (minute, cellrow, cellcolumn, deviceid)
            );
            CREATE VIEW it_density AS
                SELECT minute, cellrow, cellcolumn, min(latitude) AS latitude, min(longitude) AS longitude,
                       count(*) AS devices
                FROM it_density_visits GROUP BY minute, cellrow, cellcolumn;
            CREATE TABLE IF NOT EXISTS tc_geofences (
                id serial PRIMARY KEY,
                name varchar(128) NOT NULL,
                description varchar(128),
                area varchar(4096) NOT NULL,
                attributes varchar(4000) NOT NULL DEFAULT '{}',
                calendarid integer
            );
            CREATE TABLE IF NOT EXISTS tc_device_geofence (
                deviceid integer NOT NULL REFERENCES tc_devices (id) ON DELETE CASCADE,
                geofenceid integer NOT NULL REFERENCES tc_geofences (id) ON DELETE CASCADE,
                PRIMARY KEY (deviceid, geofenceid)
            );
            CREATE TABLE IF NOT EXISTS tc_events (
                id bigserial PRIMARY KEY,
                type varchar(128) NOT NULL,
                eventtime timestamp,
                deviceid integer REFERENCES tc_devices (id) ON DELETE CASCADE,
                positionid bigint,
                geofenceid integer,
                attributes varchar(4000),
                maintenanceid integer
            );
            -- An event derived twice (a replay) is stored once; leading deviceid, eventtime-ordered per type,
            -- it also serves Traccar's per-device event reports.
            CREATE UNIQUE INDEX it_events_once ON tc_events (deviceid, type, eventtime, (coalesce(geofenceid, 0)));
            """),
        Step(version: 4, summary: "archive runs", sql: """
            -- The archive reads one UTC day of server time at a time. A BRIN index costs ingest almost nothing
            -- (rows arrive in server-time order) and spares a full scan per day.
            CREATE INDEX it_positions_servertime ON tc_positions USING brin (servertime);
            CREATE TABLE it_archive_runs (
                id bigserial PRIMARY KEY,
                day date NOT NULL,
                key varchar(1024) NOT NULL,
                status varchar(16) NOT NULL,
                rows bigint,
                bytes bigint,
                sha256 char(64),
                uploadid varchar(1024),
                error text,
                started timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                finished timestamp
            );
            CREATE INDEX it_archive_runs_day ON it_archive_runs (day, started);
            """),
        Step(version: 5, summary: "users and sessions", sql: """
            -- Passwords are bcrypt hashes made by pgcrypto's crypt(), checked in SQL: the plain text never
            -- leaves the statement that checks it.
            CREATE EXTENSION IF NOT EXISTS pgcrypto;
            CREATE TABLE tc_users (
                id serial PRIMARY KEY,
                name varchar(128) NOT NULL,
                email varchar(128) NOT NULL,
                login varchar(128),
                hashedpassword varchar(128) NOT NULL,
                readonly boolean NOT NULL DEFAULT false,
                administrator boolean NOT NULL DEFAULT false,
                map varchar(128),
                latitude double precision NOT NULL DEFAULT 0,
                longitude double precision NOT NULL DEFAULT 0,
                zoom integer NOT NULL DEFAULT 0,
                attributes varchar(4000) NOT NULL DEFAULT '{}',
                coordinateformat varchar(128),
                disabled boolean NOT NULL DEFAULT false,
                expirationtime timestamp,
                devicelimit integer NOT NULL DEFAULT -1,
                userlimit integer NOT NULL DEFAULT 0,
                devicereadonly boolean NOT NULL DEFAULT false,
                phone varchar(128),
                limitcommands boolean NOT NULL DEFAULT false,
                poilayer varchar(512),
                disablereports boolean NOT NULL DEFAULT false,
                fixedemail boolean NOT NULL DEFAULT false
            );
            CREATE UNIQUE INDEX it_users_email ON tc_users (lower(email));
            CREATE TABLE tc_user_device (
                userid integer NOT NULL REFERENCES tc_users (id) ON DELETE CASCADE,
                deviceid integer NOT NULL REFERENCES tc_devices (id) ON DELETE CASCADE,
                PRIMARY KEY (userid, deviceid)
            );
            -- Cookie sessions and access tokens alike: an opaque random id, its user and its expiry.
            CREATE TABLE it_sessions (
                id char(48) PRIMARY KEY,
                userid integer NOT NULL REFERENCES tc_users (id) ON DELETE CASCADE,
                kind varchar(8) NOT NULL,
                created timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                expires timestamp NOT NULL
            );
            """),
        Step(version: 6, summary: "users' geofences", sql: """
            -- Which users see a geofence besides the administrators; its creator is linked when it is made.
            CREATE TABLE tc_user_geofence (
                userid integer NOT NULL REFERENCES tc_users (id) ON DELETE CASCADE,
                geofenceid integer NOT NULL REFERENCES tc_geofences (id) ON DELETE CASCADE,
                PRIMARY KEY (userid, geofenceid)
            );
            """),
        Step(version: 7, summary: "positions' devices checked once per batch", sql: """
            -- The foreign key from tc_positions to tc_devices checked every row on its own (a lookup and a row
            -- lock on the device per stored position). The writer's insert
            -- (it_insert_positions) now checks each batch's devices once, while it moves them to their newest
            -- position, and this trigger keeps the cascade for devices deleted by SQL or by the API.
            ALTER TABLE tc_positions DROP CONSTRAINT IF EXISTS tc_positions_deviceid_fkey;
            CREATE FUNCTION it_delete_device_positions() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM tc_positions WHERE deviceid IN (SELECT id FROM gone);
                RETURN NULL;
            END $$;
            CREATE TRIGGER it_device_positions_cascade AFTER DELETE ON tc_devices REFERENCING OLD TABLE AS gone
                FOR EACH STATEMENT EXECUTE FUNCTION it_delete_device_positions();
            -- Inserts a batch given as column arrays (a retried point, same device, fix time, device time and
            -- coordinates, is skipped), stamps every device of the batch with lastupdate, and points each at
            -- its newest position when that is newer than its current one. A device of the batch that no longer
            -- exists fails the whole batch with foreign_key_violation, as the foreign key did.
            CREATE FUNCTION it_insert_positions(protocols varchar[], deviceids integer[], servertimes timestamp[],
                devicetimes timestamp[], fixtimes timestamp[], valids boolean[], latitudes float8[],
                longitudes float8[], altitudes float8[], speeds float8[], courses float8[], accuracies float8[],
                attributes text[], networks text[], devices integer[], updated timestamp,
                OUT inserted bigint, OUT moved bigint) LANGUAGE plpgsql
                -- A batch touches a few devices of many: reach them by their key. The plan is cached from the
                -- statistics of its first call, often on a near-empty tc_devices, and a hash join over a scan of
                -- every device per batch then grows with the fleet (and the dead row versions the updates leave).
                SET enable_seqscan = off AS $$
            BEGIN
                WITH new AS (
                    INSERT INTO tc_positions (protocol, deviceid, servertime, devicetime, fixtime, valid, latitude,
                        longitude, altitude, speed, course, accuracy, attributes, network)
                    SELECT * FROM unnest(protocols, deviceids, servertimes, devicetimes, fixtimes, valids, latitudes,
                        longitudes, altitudes, speeds, courses, accuracies, attributes, networks)
                    ON CONFLICT (deviceid, fixtime, devicetime, latitude, longitude) DO NOTHING
                    RETURNING id, deviceid, fixtime
                ), newest AS (
                    SELECT DISTINCT ON (deviceid) deviceid, id, fixtime FROM new ORDER BY deviceid, fixtime DESC, id DESC
                ), touched AS (
                    SELECT u.deviceid, n.id, n.fixtime FROM unnest(devices) AS u(deviceid)
                    LEFT JOIN newest n ON n.deviceid = u.deviceid
                ), stamped AS (
                    UPDATE tc_devices d SET lastupdate = updated,
                        positionid = CASE WHEN t.id IS NOT NULL AND (d.positionid IS NULL OR t.fixtime >=
                            (SELECT p.fixtime FROM tc_positions p WHERE p.id = d.positionid)) THEN t.id
                            ELSE d.positionid END
                    FROM touched t WHERE d.id = t.deviceid
                    RETURNING d.id
                )
                SELECT (SELECT count(*) FROM new), (SELECT count(*) FROM stamped) INTO inserted, moved;
                IF moved < cardinality(devices) THEN
                    RAISE foreign_key_violation USING
                        MESSAGE = format('%s device(s) of the batch no longer exist', cardinality(devices) - moved);
                END IF;
            END $$;
            """),
    ]
}
