/// `GET /api/openapi.yaml`: what itrack serves of Traccar's API, for client generators and for people.
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.0.3
        info:
          title: itrack API
          version: \(ITrack.version)
          description: >
            Traccar-compatible REST API. JSON objects have Traccar's fields and order, times are
            yyyy-MM-ddTHH:mm:ss.SSS+00:00 (UTC), speeds in knots. Authenticate with HTTP Basic (email or login),
            a bearer token from POST /api/session/token, or the JSESSIONID cookie from POST /api/session.
        servers:
          - url: /api
        components:
          securitySchemes:
            basic: {type: http, scheme: basic}
            bearer: {type: http, scheme: bearer}
            session: {type: apiKey, in: cookie, name: JSESSIONID}
          parameters:
            from: {name: from, in: query, required: true, schema: {type: string, format: date-time}}
            to: {name: to, in: query, required: true, schema: {type: string, format: date-time}}
            deviceId: {name: deviceId, in: query, schema: {type: integer}}
            id: {name: id, in: path, required: true, schema: {type: integer}}
          responses:
            ok: {description: Traccar JSON, content: {application/json: {schema: {type: object}}}}
            list: {description: Traccar JSON array, content: {application/json: {schema: {type: array, items: {type: object}}}}}
            unauthorized: {description: no or wrong credentials (empty body)}
            notFound: {description: no such object, or not visible to this user}
        security:
          - basic: []
          - bearer: []
          - session: []
        paths:
          /server:
            get: {summary: Server object, security: [], responses: {'200': {$ref: '#/components/responses/ok'}}}
          /session:
            post:
              summary: Log in with form fields email and password; sets JSESSIONID
              security: []
              requestBody:
                content:
                  application/x-www-form-urlencoded:
                    schema: {type: object, properties: {email: {type: string}, password: {type: string}}}
              responses: {'200': {$ref: '#/components/responses/ok'}, '401': {$ref: '#/components/responses/unauthorized'}}
            get:
              summary: The session's user, or log in with ?token= (sets JSESSIONID)
              parameters: [{name: token, in: query, schema: {type: string}}]
              responses: {'200': {$ref: '#/components/responses/ok'}, '404': {description: no session}}
            delete: {summary: Log out, responses: {'204': {description: logged out}}}
          /session/token:
            post:
              summary: Mint an access token (text/plain), 7 days unless expiration is given
              parameters: [{name: expiration, in: query, schema: {type: string, format: date-time}}]
              responses: {'200': {description: the token, content: {text/plain: {schema: {type: string}}}}}
          /devices:
            get:
              summary: Devices visible to the user, sorted by name
              parameters:
                - {name: id, in: query, schema: {type: array, items: {type: integer}}}
                - {name: uniqueId, in: query, schema: {type: array, items: {type: string}}}
              responses: {'200': {$ref: '#/components/responses/list'}, '401': {$ref: '#/components/responses/unauthorized'}}
            post: {summary: Add a device (Traccar Device JSON with name and uniqueId), responses: {'200': {$ref: '#/components/responses/ok'}, '400': {description: invalid body or unique id taken}}}
          /devices/{id}:
            parameters: [{$ref: '#/components/parameters/id'}]
            get: {summary: One device, responses: {'200': {$ref: '#/components/responses/ok'}, '404': {$ref: '#/components/responses/notFound'}}}
            put: {summary: Edit a device, responses: {'200': {$ref: '#/components/responses/ok'}, '404': {$ref: '#/components/responses/notFound'}}}
            delete: {summary: Delete a device and its positions, responses: {'204': {description: deleted}, '404': {$ref: '#/components/responses/notFound'}}}
          /positions:
            get:
              summary: Latest per device; deviceId alone its latest; id those; deviceId+from+to history by fix time (at most 50000)
              parameters:
                - {$ref: '#/components/parameters/deviceId'}
                - {name: id, in: query, schema: {type: array, items: {type: integer}}}
                - {name: from, in: query, schema: {type: string, format: date-time}}
                - {name: to, in: query, schema: {type: string, format: date-time}}
              responses: {'200': {$ref: '#/components/responses/list'}}
          /positions/{format}:
            get:
              summary: A device's track as GPX 1.1, CSV or GeoJSON, streamed (chunked over HTTP/1.1); HEAD gives the head alone
              parameters:
                - {name: format, in: path, required: true, schema: {type: string, enum: [gpx, csv, geojson]}}
                - {$ref: '#/components/parameters/deviceId'}
                - {$ref: '#/components/parameters/from'}
                - {$ref: '#/components/parameters/to'}
              responses: {'200': {description: the export}, '404': {$ref: '#/components/responses/notFound'}}
          /geofences:
            get: {summary: Geofences visible to the user, sorted by name, responses: {'200': {$ref: '#/components/responses/list'}}}
            post: {summary: Add a geofence (area in Traccar WKT, latitude first), responses: {'200': {$ref: '#/components/responses/ok'}, '400': {description: invalid body or area}}}
          /geofences/{id}:
            parameters: [{$ref: '#/components/parameters/id'}]
            get: {summary: One geofence, responses: {'200': {$ref: '#/components/responses/ok'}, '404': {$ref: '#/components/responses/notFound'}}}
            put: {summary: Edit a geofence, responses: {'200': {$ref: '#/components/responses/ok'}, '404': {$ref: '#/components/responses/notFound'}}}
            delete: {summary: Delete a geofence, responses: {'204': {description: deleted}, '404': {$ref: '#/components/responses/notFound'}}}
          /events/{id}:
            parameters: [{$ref: '#/components/parameters/id'}]
            get: {summary: One event, responses: {'200': {$ref: '#/components/responses/ok'}, '404': {$ref: '#/components/responses/notFound'}}}
          /reports/events:
            get:
              summary: Events by device and time
              parameters:
                - {$ref: '#/components/parameters/from'}
                - {$ref: '#/components/parameters/to'}
                - {$ref: '#/components/parameters/deviceId'}
                - {name: type, in: query, schema: {type: array, items: {type: string}}}
              responses: {'200': {$ref: '#/components/responses/list'}}
          /reports/route:
            get:
              summary: Positions of a device in a time range
              parameters:
                - {$ref: '#/components/parameters/deviceId'}
                - {$ref: '#/components/parameters/from'}
                - {$ref: '#/components/parameters/to'}
              responses: {'200': {$ref: '#/components/responses/list'}}
          /users:
            get: {summary: Every user for an administrator; only themselves for anyone else, sorted by name, responses: {'200': {$ref: '#/components/responses/list'}}}
            post:
              summary: Add a user (administrators only; registration is off) from Traccar User JSON with name, email and password
              responses: {'200': {$ref: '#/components/responses/ok'}, '400': {description: invalid body or email taken}, '403': {description: not an administrator}}
          /users/{id}:
            parameters: [{$ref: '#/components/parameters/id'}]
            get: {summary: One user (themselves, or anyone for an administrator), responses: {'200': {$ref: '#/components/responses/ok'}, '403': {description: another user}, '404': {$ref: '#/components/responses/notFound'}}}
            put: {summary: Edit a user; members left out keep their value; a non-empty password replaces the old one; only administrators change rights, deviceLimit or a later expiry, responses: {'200': {$ref: '#/components/responses/ok'}, '403': {description: another user, or own rights}, '404': {$ref: '#/components/responses/notFound'}}}
            delete: {summary: Delete a user with their links and sessions (administrators only, not themselves), responses: {'204': {description: deleted}, '403': {description: not an administrator, or themselves}, '404': {$ref: '#/components/responses/notFound'}}}
          /permissions:
            post:
              summary: Link two of userId, deviceId, geofenceId; only administrators name a user
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {userId: {type: integer}, deviceId: {type: integer}, geofenceId: {type: integer}}}
              responses: {'204': {description: linked}, '400': {description: malformed body}, '403': {description: a user named by someone not an administrator}, '404': {description: an end missing or not visible}}
            delete:
              summary: Unlink, with the same body as POST
              responses: {'204': {description: unlinked}, '400': {description: malformed body}, '403': {description: a user named by someone not an administrator}, '404': {description: an end missing or not visible}}
          /statistics:
            get:
              summary: Positions stored and active devices per UTC day (administrators only)
              parameters: [{$ref: '#/components/parameters/from'}, {$ref: '#/components/parameters/to'}]
              responses: {'200': {$ref: '#/components/responses/list'}}
          /socket:
            get:
              summary: WebSocket (RFC 6455) live feed of positions, devices and events; ?token= or the session cookie
              parameters: [{name: token, in: query, schema: {type: string}}]
              responses: {'101': {description: switching to WebSocket}, '401': {$ref: '#/components/responses/unauthorized'}}

        """
}
