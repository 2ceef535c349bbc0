import Foundation
import VigilCore
import Yams

/// The OpenAPI 3.1 description of every endpoint, served at `/openapi.json`. Kept as YAML in the
/// source so it ships inside the binary; a server test checks that every route is described.
enum OpenAPIDocument {
    /// The document as served: the policy's categories fill the `PolicyCategory` enum, so a
    /// client (or a conformance tester) knows exactly which reasons this server accepts.
    static func json(policy: Policy) throws -> Data {
        guard var object = try Yams.load(yaml: yaml) as? [String: Any] else { throw CocoaError(.coderReadCorrupt) }
        if var info = object["info"] as? [String: Any] {
            info["version"] = VigilVersion.current
            object["info"] = info
        }
        if var components = object["components"] as? [String: Any], var schemas = components["schemas"] as? [String: Any],
           var category = schemas["PolicyCategory"] as? [String: Any] {
            category["enum"] = policy.categoryIDs
            schemas["PolicyCategory"] = category
            components["schemas"] = schemas
            object["components"] = components
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    static let yaml = #"""
openapi: 3.1.0
info:
  title: Vigil
  version: 0.1.0
  description: Reporting and moderation backend for short-video platforms. Reports are anonymous and immutable; weighted reports take content
    down pending review. Errors are RFC 9457 problem+json bodies naming the field at fault.
servers:
- url: http://127.0.0.1:8080
security:
- apiKey: []
paths:
  /healthz:
    get:
      summary: Liveness
      security: []
      responses:
        '200':
          description: Alive
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Status'
  /readyz:
    get:
      summary: Readiness (database reachable, migrations applied)
      security: []
      responses:
        '200':
          description: Ready
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Status'
        '503':
          $ref: '#/components/responses/Problem'
  /openapi.json:
    get:
      summary: This document
      security: []
      responses:
        '200':
          description: The OpenAPI document
          content:
            application/json:
              schema:
                type: object
  /metrics:
    get:
      summary: Prometheus metrics (scope metrics:read)
      description: Request counts and latencies by route pattern, reports by status, intake batch sizes, and the open, overdue and unclaimed cases,
        open appeals, audit-log length and webhook backlog read at each scrape, webhook attempts by outcome, signals recorded, and detection rule matches by rule (the operator's rule ids), mode and action. Labels never carry a path, a record's id or anything about a reporter.
      responses:
        '200':
          description: Exposition text
          content:
            text/plain:
              schema:
                type: string
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/subjects/{id}:
    parameters:
    - name: id
      in: path
      required: true
      description: The platform's id of the subject
      schema: &id001
        $ref: '#/components/schemas/Id'
    put:
      summary: Register or update a subject (scope subjects:write)
      description: Creates the subject (201) or updates its reach and text (200). A subject's kind and creator cannot change (409).
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/SubjectRegistration'
      responses:
        '200':
          description: Updated
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Subject'
        '201':
          description: Registered
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Subject'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '409':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
    get:
      summary: A subject's state and creator-safe enforcement facts (scope subjects:read)
      responses:
        '200':
          description: The subject
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Subject'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/subjects/{id}/signals:
    parameters:
    - name: id
      in: path
      required: true
      description: The platform's id of the subject
      schema:
        $ref: '#/components/schemas/Id'
    post:
      summary: Signals about a subject's content (scope signals:write)
      description: The platform's own classifier scores, hash matches, text matches and metadata, 1 to 100 at a time; and perceptual
        hashes it computed itself (type pdq, an image's PDQ hash; type vpdq, a video's frame hashes as 'frame,quality,hash,timestamp'
        lines), which Vigil keeps with the subject and matches against its hash banks, each match becoming a hash_match signal from
        'vigil' (a moderator's removal banks them in confirmed-removals). Each is recorded
        once per (source, id); a repeat is counted as a duplicate and changes nothing. The detection rules are evaluated on the subject's
        signals before the answer, and the strongest live match acts (suppress, take down pending review, remove, or open a case). 201
        when something new was recorded, 200 when all were duplicates. The source 'vigil' is reserved for Vigil's own classifiers.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/SignalsInput'
      responses:
        '200':
          description: Nothing new (every signal was recorded before)
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/SignalsResult'
        '201':
          description: Recorded, and the rules evaluated
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/SignalsResult'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/subjects/{id}/media:
    parameters:
    - name: id
      in: path
      required: true
      description: The platform's id of the subject
      schema:
        $ref: '#/components/schemas/Id'
    post:
      summary: Media for hashing and the external classifiers (scope signals:write)
      description: Either the media itself (an image/* or video/* body, at most the configured media.max_bytes) or {"media_url"} for
        Vigil to fetch from an allow-listed host (no redirects followed, public addresses only unless configured, bounded in size and
        time). Images are hashed with PDQ (and matched with their 8 rotations and flips), videos with vPDQ (one frame a second, the
        first hour at most); the hashes are kept with the subject and matched against the hash banks, each match becoming a hash_match
        signal. Every configured classifier that takes the media type is called; their labels become signals and the rules are evaluated.
        Answered once hashing is done and every classifier answered, failed or timed out; each one's outcome is listed. The media is held
        in memory for the request (a video also in a private temporary file, removed at once) and never stored.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/MediaInput'
          image/jpeg:
            schema:
              type: string
              format: binary
          image/png:
            schema:
              type: string
              format: binary
          video/mp4:
            schema:
              type: string
              format: binary
      responses:
        '200':
          description: Classified (or each classifier's failure listed)
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/MediaResult'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/reports:
    post:
      summary: File a report on behalf of a user (scope reports:write)
      description: The subject must be registered first (422 unknown-subject otherwise). A reporter reporting the same subject again gets 200
        with status "duplicate" and is not counted again. The trusted_flagger channel also needs scope reports:trusted. Reports cannot be edited,
        withdrawn or deleted.
      parameters:
      - name: Idempotency-Key
        in: header
        required: false
        description: Retries with the same key and body return the first response; a different body is refused (422).
        schema:
          type: string
          minLength: 1
          maxLength: 255
          pattern: ^[\x21-\x7e]+$(?!\n)
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ReportSubmission'
      responses:
        '200':
          description: Duplicate (or a replay of one)
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReportReceipt'
        '201':
          description: Received and committed
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReportReceipt'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '429':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/reports/{report_id}:
    parameters:
    - name: report_id
      in: path
      required: true
      schema: *id001
    delete:
      summary: Refused — reports are immutable
      responses:
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '405':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
    patch:
      summary: Refused — reports are immutable
      responses:
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '405':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
    put:
      summary: Refused — reports are immutable
      responses:
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '405':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/reporters/{reporter_id}/reports:
    parameters:
    - name: reporter_id
      in: path
      required: true
      description: The reporter's platform id
      schema: *id001
    - name: cursor
      in: query
      required: false
      description: next_cursor of the previous page
      schema:
        $ref: '#/components/schemas/Id'
        description: next_cursor of the previous page
    - name: limit
      in: query
      required: false
      schema:
        type: integer
        minimum: 1
        maximum: 100
        default: 50
    get:
      summary: A reporter's own reports with their status, newest first (scope reports:read)
      responses:
        '200':
          description: A page of reports
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReportList'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/creators/{creator_id}/notices:
    parameters:
    - name: creator_id
      in: path
      required: true
      schema: *id001
    - name: cursor
      in: query
      required: false
      schema:
        $ref: '#/components/schemas/Id'
        description: next_cursor of the previous page
    - name: limit
      in: query
      required: false
      schema:
        type: integer
        minimum: 1
        maximum: 100
        default: 50
    get:
      summary: A creator's notices, newest first — statements of reasons and liftings (scope notices:read)
      responses:
        '200':
          description: A page of notices
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/NoticeList'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/reporters/{reporter_id}/notices:
    parameters:
    - name: reporter_id
      in: path
      required: true
      schema: *id001
    - name: cursor
      in: query
      required: false
      schema:
        $ref: '#/components/schemas/Id'
        description: next_cursor of the previous page
    - name: limit
      in: query
      required: false
      schema:
        type: integer
        minimum: 1
        maximum: 100
        default: 50
    get:
      summary: A reporter's notices, newest first — misuse warnings, suspensions and their lifting (scope notices:read)
      responses:
        '200':
          description: A page of notices
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/NoticeList'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/webhooks:
    post:
      summary: Make a webhook endpoint (scope webhooks:manage)
      description: Deliveries follow the Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature headers; a JSON body
        with type, timestamp and data). The url must be https and reach a public address. The signing secret (whsec_...) is in this answer only.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/WebhookEndpointInput'
      responses:
        '201':
          description: Made; the secret is shown this once
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/IssuedWebhookEndpoint'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '409':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
    get:
      summary: The webhook endpoints (scope webhooks:manage)
      responses:
        '200':
          description: Every endpoint that is not deleted, oldest first
          content:
            application/json:
              schema:
                type: object
                required:
                - endpoints
                properties:
                  endpoints:
                    type: array
                    items:
                      $ref: '#/components/schemas/WebhookEndpoint'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/webhooks/{id}:
    parameters:
    - name: id
      in: path
      required: true
      schema:
        $ref: '#/components/schemas/Id'
    get:
      summary: One webhook endpoint (scope webhooks:manage)
      responses:
        '200':
          description: The endpoint
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/WebhookEndpoint'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
    patch:
      summary: Change a webhook endpoint (scope webhooks:manage)
      description: Fields left out stay as they are; event_types null means every type. Enabling an endpoint Vigil disabled clears why;
        replay what was not queued while it was disabled.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/WebhookEndpointChange'
      responses:
        '200':
          description: Changed
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/WebhookEndpoint'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
    delete:
      summary: Delete a webhook endpoint (scope webhooks:manage)
      description: Nothing more is delivered to it; its waiting deliveries are dropped. Its attempts stay in the audit record.
      responses:
        '204':
          description: Deleted
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/webhooks/{id}/rotate-secret:
    parameters:
    - name: id
      in: path
      required: true
      schema:
        $ref: '#/components/schemas/Id'
    post:
      summary: A new signing secret (scope webhooks:manage)
      description: The new secret is in this answer only. For overlap_hours (default 24, 0 to 168) deliveries carry a signature with each
        secret, space-separated, so receivers can switch without losing a message.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                overlap_hours:
                  type: integer
                  minimum: 0
                  maximum: 168
      responses:
        '200':
          description: Rotated; the new secret is shown this once
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/IssuedWebhookEndpoint'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/webhooks/{id}/replay:
    parameters:
    - name: id
      in: path
      required: true
      schema:
        $ref: '#/components/schemas/Id'
    - name: since
      in: query
      required: true
      description: Every message made at or after this time that the endpoint receives is delivered again, under its original webhook-id
      schema:
        type: string
        format: date-time
    post:
      summary: Deliver messages again (scope webhooks:manage)
      responses:
        '202':
          description: Queued; more_since is where to go on from when the replay stopped at its bound (10,000 messages)
          content:
            application/json:
              schema:
                type: object
                required:
                - replayed
                - more_since
                properties:
                  replayed:
                    type: integer
                  more_since:
                    type:
                    - string
                    - 'null'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '409':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/webhooks/{id}/attempts:
    parameters:
    - name: id
      in: path
      required: true
      schema:
        $ref: '#/components/schemas/Id'
    - name: limit
      in: query
      required: false
      schema:
        type: integer
        minimum: 1
        maximum: 200
        default: 50
    - name: cursor
      in: query
      required: false
      description: next_cursor of the previous page
      schema:
        $ref: '#/components/schemas/Id'
    get:
      summary: Delivery attempts to an endpoint, newest first (scope webhooks:manage)
      responses:
        '200':
          description: A page of attempts
          content:
            application/json:
              schema:
                type: object
                required:
                - attempts
                - next_cursor
                properties:
                  next_cursor:
                    type:
                    - string
                    - 'null'
                  attempts:
                    type: array
                    items:
                      type: object
                      required:
                      - attempt_id
                      - message_id
                      - attempt
                      - attempted_at
                      - outcome
                      - latency_ms
                      properties:
                        attempt_id:
                          type: string
                        message_id:
                          type: string
                          description: The webhook-id the attempt carried
                        attempt:
                          type: integer
                        attempted_at:
                          type: string
                          format: date-time
                        outcome:
                          type: string
                          enum:
                          - delivered
                          - failed
                        status_code:
                          type:
                          - integer
                          - 'null'
                        latency_ms:
                          type: integer
                        response_snippet:
                          type:
                          - string
                          - 'null'
                        error:
                          type:
                          - string
                          - 'null'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/enforcement-events:
    parameters:
    - name: after
      in: query
      required: false
      description: next_cursor of the previous call (opaque); leave out to start from the beginning
      schema: &id002
        $ref: '#/components/schemas/OpaqueCursor'
    - name: limit
      in: query
      required: false
      schema:
        type: integer
        minimum: 1
        maximum: 1000
        default: 100
    get:
      summary: The ordered, durable feed of state changes and account measures to apply (scope events:read)
      responses:
        '200':
          description: Events after the cursor, oldest first
          content:
            application/json:
              schema:
                type: object
                required:
                - events
                - next_cursor
                properties:
                  next_cursor:
                    type: string
                  events:
                    type: array
                    items:
                      type: object
                      required:
                      - event_id
                      - type
                      - occurred_at
                      - data
                      properties:
                        event_id:
                          type: string
                          description: Opaque and stable; receivers deduplicate by it
                        type:
                          type: string
                          enum:
                          - subject.state_changed
                          - account_action.applied
                          - account_action.lifted
                        subject_id:
                          type:
                          - string
                          - 'null'
                        occurred_at:
                          type: string
                          format: date-time
                          description: To the hour (it may date a report); the feed's order is the events' order
                        data:
                          type: object
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/queue:
    get:
      summary: Open cases by priority — live first, then overdue, then severity, score and reach (roles triage, moderator)
      security:
      - moderatorToken: []
      parameters:
      - name: kind
        in: query
        required: false
        schema:
          type: string
          enum:
          - video
          - live
          - comment
          - account
      - name: category
        in: query
        required: false
        schema: &id003
          $ref: '#/components/schemas/PolicyCategory'
      - name: state
        in: query
        required: false
        schema:
          type: string
          enum:
          - visible
          - suppressed
          - pending_review
          - removed
      - name: overdue
        in: query
        required: false
        schema:
          type: boolean
      - name: claimed
        in: query
        required: false
        schema:
          type: boolean
      - name: coordinated
        in: query
        required: false
        description: Only cases flagged (true) or not flagged (false) "coordinated reporting suspected"
        schema:
          type: boolean
      - name: automated
        in: query
        required: false
        description: Only cases automated detection raised (true) or did not (false)
        schema:
          type: boolean
      - name: cursor
        in: query
        required: false
        schema: *id002
      - name: limit
        in: query
        required: false
        schema:
          type: integer
          minimum: 1
          maximum: 100
          default: 50
      responses:
        '200':
          description: A page of the queue
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Queue'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/queue/next:
    post:
      summary: Claim the most urgent unclaimed case (role moderator)
      security:
      - moderatorToken: []
      responses:
        '200':
          description: The claimed case
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Claim'
        '204':
          description: No unclaimed case
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/cases/{id}:
    parameters:
    - name: id
      in: path
      required: true
      schema: *id001
    get:
      summary: A case — subject (with its media address, if the platform gave one), a summary of its reports by reason and channel, the score's growth by hour, category scores, creator history
        and shield, and how the reports combine into independent voices (coordinated groups by per-case pseudonym, with their signals
        and evidence), when a takedown waiting out its settle period is due (case.takedown_due_at), and automated detection's part
        (case.detected_by, and detection - the subject's newest signals and the rules that matched, with their mode, action and verdict)
        (roles triage, moderator, appeals).
        Bounded in size; the reports themselves are paged at /v1/mod/cases/{id}/reports
      security:
      - moderatorToken: []
      responses:
        '200':
          description: The case
          content:
            application/json:
              schema:
                type: object
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/cases/{id}/reports:
    parameters:
    - name: id
      in: path
      required: true
      schema: *id001
    get:
      summary: 'A page of a case''s reports in arrival order: per-case reporter pseudonym with a coarse track record (whole counts, credibility
        to one decimal), reason, channel, note, weight to one decimal, hour received, notice fields (roles triage, moderator, appeals)'
      security:
      - moderatorToken: []
      parameters:
      - name: reason
        in: query
        required: false
        description: Only reports of this policy category
        schema: *id003
      - name: cursor
        in: query
        required: false
        schema: *id002
      - name: limit
        in: query
        required: false
        schema:
          type: integer
          minimum: 1
          maximum: 100
          default: 50
      responses:
        '200':
          description: A page of reports
          content:
            application/json:
              schema:
                type: object
                required:
                - reports
                properties:
                  next_cursor:
                    type:
                    - string
                    - 'null'
                  reports:
                    type: array
                    items:
                      type: object
                      properties:
                        reporter:
                          type: string
                          description: 'Reporter A, B, …: per case, never an account id'
                        track_record:
                          type: object
                          properties:
                            upheld:
                              type: integer
                            dismissed:
                              type: integer
                            credibility:
                              type: number
                            standing:
                              type: string
                        reason:
                          type: string
                        channel:
                          type: string
                        note:
                          type: string
                        weight:
                          type: number
                        counted:
                          type: boolean
                        received_hour:
                          type: string
                          format: date-time
                        notice:
                          type: object
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/cases/{id}/claim:
    parameters:
    - name: id
      in: path
      required: true
      schema: *id001
    post:
      summary: Claim (or renew the claim on) a case for the lease period (role moderator)
      security:
      - moderatorToken: []
      responses:
        '200':
          description: Claimed
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Claim'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '409':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/cases/{id}/release:
    parameters:
    - name: id
      in: path
      required: true
      schema: *id001
    post:
      summary: Give a claimed case back to the queue (role moderator)
      security:
      - moderatorToken: []
      responses:
        '204':
          description: Released
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '409':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/cases/{id}/decision:
    parameters:
    - name: id
      in: path
      required: true
      schema: *id001
    post:
      summary: Decide a case you hold (role moderator)
      security:
      - moderatorToken: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/DecisionInput'
      responses:
        '201':
          description: Decided
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Decision'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '409':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/appeals:
    post:
      summary: Appeal a decision or a misuse measure (scope appeals:write)
      description: 'The creator against a restriction, a reporter against a decision not to act on their report, or a reporter against a misuse
        warning or suspension. Within six months, once per decision (or measure) and appellant. The decision_id is in the creator''s statement
        of reasons; a reporter names their own report by report_id (in their list of reports: knowing a decision and a user id is not enough to
        contest, nor to learn whether that user reported); the measure_id is in the reporter''s misuse notice. Give exactly one of decision_id,
        report_id and measure_id. Refusals (late, twice, not yours, nothing to appeal) are problems.'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
              - type: object
                required:
                - decision_id
                - creator_id
                - statement
                additionalProperties: false
                properties:
                  decision_id: *id001
                  creator_id: *id001
                  statement:
                    type: string
                    minLength: 1
                    maxLength: 5000
                    pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
                description: A creator appeals a decision on their content or account
              - type: object
                required:
                - report_id
                - reporter_id
                - statement
                additionalProperties: false
                properties:
                  report_id: *id001
                  reporter_id: *id001
                  statement:
                    type: string
                    minLength: 1
                    maxLength: 5000
                    pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
                description: A reporter contests the no-violation decision on their own report
              - type: object
                required:
                - measure_id
                - reporter_id
                - statement
                additionalProperties: false
                properties:
                  measure_id: *id001
                  reporter_id: *id001
                  statement:
                    type: string
                    minLength: 1
                    maxLength: 5000
                    pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
                description: A reporter contests a misuse warning or suspension
      responses:
        '201':
          description: Filed
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Appeal'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '409':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/creators/{creator_id}/appeals:
    parameters:
    - name: creator_id
      in: path
      required: true
      schema: *id001
    get:
      summary: A creator's appeals and their status (scope notices:read)
      responses:
        '200':
          description: The appeals, newest first
          content:
            application/json:
              schema:
                type: object
                properties:
                  appeals:
                    type: array
                    items:
                      $ref: '#/components/schemas/Appeal'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/appeals:
    get:
      summary: Open appeals, oldest first (roles appeals, admin)
      security:
      - moderatorToken: []
      parameters:
      - name: limit
        in: query
        required: false
        schema:
          type: integer
          minimum: 1
          maximum: 100
          default: 50
      - name: cursor
        in: query
        required: false
        description: The next_cursor of the page before
        schema: *id002
      responses:
        '200':
          description: A page of appeals
          content:
            application/json:
              schema:
                type: object
                required:
                - appeals
                - next_cursor
                properties:
                  appeals:
                    type: array
                    items:
                      $ref: '#/components/schemas/Appeal'
                  next_cursor:
                    type:
                    - string
                    - 'null'
                    description: Null on the last page
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/appeals/{id}/claim:
    parameters:
    - name: id
      in: path
      required: true
      schema: *id001
    post:
      summary: Claim an appeal; refused to the moderator who made the decision (roles appeals, admin)
      security:
      - moderatorToken: []
      responses:
        '200':
          description: Claimed
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Appeal'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '409':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/appeals/{id}/decision:
    parameters:
    - name: id
      in: path
      required: true
      schema: *id001
    post:
      summary: Decide a claimed appeal; granted reverses the restriction, strike, account measures and reporters' records (roles appeals, admin)
      security:
      - moderatorToken: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required:
              - outcome
              - note
              additionalProperties: false
              properties:
                outcome:
                  type: string
                  enum:
                  - granted
                  - denied
                note:
                  type: string
                  minLength: 1
                  maxLength: 5000
                  pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
      responses:
        '200':
          description: Decided
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Appeal'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '409':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/rules:
    get:
      summary: The detection rules in force, each with its mode and its precision against moderators' decisions (role admin)
      description: Per rule of the rule-set version in force - matches, actions, upheld and overturned by moderators' decisions, appeals
        granted against them, precision with its 95% Wilson interval, and the mode in force (a live rule whose precision fell below the
        floor over enough decisions is switched to shadow automatically, with the reason).
      security:
      - moderatorToken: []
      responses:
        '200':
          description: The rules
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/RuleSet'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/banks:
    get:
      summary: The hash banks, each with what it holds, and this node's in-memory index (role admin)
      security:
      - moderatorToken: []
      responses:
        '200':
          description: The banks
          content:
            application/json:
              schema:
                type: object
                required: [banks, index]
                additionalProperties: false
                properties:
                  banks:
                    type: array
                    items:
                      $ref: '#/components/schemas/Bank'
                  index:
                    type: object
                    required: [hashes, memory_bytes]
                    additionalProperties: false
                    properties:
                      hashes:
                        type: integer
                      memory_bytes:
                        type: integer
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
    post:
      summary: A new, empty hash bank (role admin); hash lists are imported with `vigil banks import`
      security:
      - moderatorToken: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              additionalProperties: false
              properties:
                name:
                  $ref: '#/components/schemas/BankName'
                description:
                  $ref: '#/components/schemas/BankDescription'
                enabled_ratio:
                  $ref: '#/components/schemas/BankRatio'
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Bank'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '409':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/hashes/lookup:
    get:
      summary: What a PDQ hash matches in this node's banks, whatever their kill switch and ratio say (role admin)
      description: Every bank content in force within the distance (default 31, PDQ's confident match), with its bank's settings,
        as HMA's lookup. For checking a hash an operator was given; matching of subjects' media follows the kill switch and ratio.
      security:
      - moderatorToken: []
      parameters:
      - name: pdq
        in: query
        required: true
        schema:
          type: string
          pattern: ^[0-9a-f]{64}$(?!\n)
      - name: distance
        in: query
        required: false
        schema:
          type: integer
          minimum: 0
          maximum: 64
      responses:
        '200':
          description: The matches, nearest first
          content:
            application/json:
              schema:
                type: object
                required: [matches]
                additionalProperties: false
                properties:
                  matches:
                    type: array
                    items:
                      type: object
                      required: [bank, bank_enabled, bank_enabled_ratio, content_id, content_type, distance]
                      additionalProperties: false
                      properties:
                        bank:
                          type: string
                        bank_enabled:
                          type: boolean
                        bank_enabled_ratio:
                          type: number
                        content_id:
                          type: string
                        content_type:
                          type: string
                          enum: [pdq, vpdq]
                        category:
                          type: string
                        distance:
                          type: integer
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/banks/{name}:
    parameters:
    - name: name
      in: path
      required: true
      schema:
        $ref: '#/components/schemas/Id'
    patch:
      summary: A bank's kill switch, roll-out ratio or description (role admin), audited and applied on every node within seconds
      security:
      - moderatorToken: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              description: Settings left out (or null) stay as they are
              properties:
                enabled:
                  type:
                  - boolean
                  - 'null'
                enabled_ratio:
                  $ref: '#/components/schemas/BankRatio'
                description:
                  $ref: '#/components/schemas/BankDescription'
      responses:
        '200':
          description: The bank as it is now
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Bank'
        '400':
          $ref: '#/components/responses/Problem'
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '404':
          $ref: '#/components/responses/Problem'
        '413':
          $ref: '#/components/responses/Problem'
        '415':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
  /v1/mod/transparency:
    get:
      summary: DSA transparency-report figures for [from, to), computed from the audit log (role admin)
      security:
      - moderatorToken: []
      parameters:
      - name: from
        in: query
        required: true
        schema:
          type: string
          pattern: ^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)?$(?!\n)
          description: A date (YYYY-MM-DD, UTC) or a UTC time (YYYY-MM-DDThh:mm:ss[.sss]Z)
      - name: to
        in: query
        required: true
        schema:
          type: string
          pattern: ^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)?$(?!\n)
          description: A date (YYYY-MM-DD, UTC) or a UTC time (YYYY-MM-DDThh:mm:ss[.sss]Z)
      responses:
        '200':
          description: The figures
          content:
            application/json:
              schema:
                type: object
                properties:
                  reports_received:
                    type: integer
                  reports_by_category:
                    type: object
                    additionalProperties:
                      type: integer
                  reports_by_channel:
                    type: object
                    additionalProperties:
                      type: integer
                  trusted_flagger_share:
                    type: number
                  restrictions_by_type:
                    type: object
                    additionalProperties:
                      type: integer
                  restrictions_by_ground:
                    type: object
                    additionalProperties:
                      type: integer
                  automated_restrictions:
                    type: integer
                  human_decisions:
                    type: object
                    additionalProperties:
                      type: integer
                  median_seconds_first_report_to_action:
                    type:
                    - number
                    - 'null'
                  appeals_received:
                    type: integer
                  appeals_decided:
                    type: integer
                  appeals_granted_share:
                    type:
                    - number
                    - 'null'
                  median_seconds_to_appeal_decision:
                    type:
                    - number
                    - 'null'
                  misuse_warnings:
                    type: integer
                  misuse_suspensions:
                    type: integer
                  strikes:
                    type: integer
                  account_actions:
                    type: object
                    additionalProperties:
                      type: integer
        '401':
          $ref: '#/components/responses/Problem'
        '403':
          $ref: '#/components/responses/Problem'
        '422':
          $ref: '#/components/responses/Problem'
        '503':
          $ref: '#/components/responses/Problem'
components:
  securitySchemes:
    apiKey:
      type: http
      scheme: bearer
      description: An API key made with `vigil keys create --scope S`.
    moderatorToken:
      type: http
      scheme: bearer
      description: A moderator token made with `vigil moderators add NAME --role ROLE`.
  responses:
    Problem:
      description: An RFC 9457 problem
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
  schemas:
    Status:
      type: object
      required:
      - status
      properties:
        status:
          type: string
    Problem:
      type: object
      required:
      - type
      - title
      - status
      - detail
      properties:
        type:
          type: string
          description: A relative URI naming the problem, e.g. /problems/invalid-field
        title:
          type: string
        status:
          type: integer
        detail:
          type: string
        field:
          type: string
          description: The request field, header or parameter at fault
    SubjectRegistration:
      oneOf:
      - type: object
        required:
        - kind
        - creator_id
        additionalProperties: false
        properties:
          kind:
            const: live
          creator_id:
            $ref: '#/components/schemas/Id'
          reach:
            type:
            - object
            - 'null'
            additionalProperties: false
            properties:
              views:
                type:
                - integer
                - 'null'
                minimum: 0
                maximum: 1000000000000
              live_viewers:
                type:
                - integer
                - 'null'
                minimum: 0
                maximum: 1000000000000
                description: More than 0 only for live subjects
          title:
            type:
            - string
            - 'null'
            minLength: 1
            maxLength: 1000
            pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
          text:
            type:
            - string
            - 'null'
            maxLength: 10000
            pattern: ^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
          media:
            type:
            - object
            - 'null'
            additionalProperties: false
            required:
            - url
            properties:
              url:
                type: string
                minLength: 1
                maxLength: 2048
                pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#]([A-Za-z0-9._~!$&''()*+,;=:@/?#-]|%[0-9A-Fa-f]{2})*)?$(?!\n)'
                description: An absolute https or http address, RFC 3986 characters only (anything else percent-encoded), no credentials
              type:
                type:
                - string
                - 'null'
                enum:
                - image
                - video
                - null
                description: How the console shows it; image when left out
            description: Where the platform serves the subject's media, for the moderator console's preview (blurred until the moderator
              reveals it). Vigil keeps the address, never the media
        description: A live stream
      - type: object
        required:
        - kind
        - creator_id
        additionalProperties: false
        properties:
          kind:
            type: string
            enum:
            - video
            - comment
            - account
          creator_id:
            $ref: '#/components/schemas/Id'
          reach:
            type:
            - object
            - 'null'
            additionalProperties: false
            properties:
              views:
                type:
                - integer
                - 'null'
                minimum: 0
                maximum: 1000000000000
              live_viewers:
                type:
                - integer
                - 'null'
                minimum: 0
                maximum: 0
                description: Only a live subject has live viewers
          title:
            type:
            - string
            - 'null'
            minLength: 1
            maxLength: 1000
            pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
          text:
            type:
            - string
            - 'null'
            maxLength: 10000
            pattern: ^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
          media:
            type:
            - object
            - 'null'
            additionalProperties: false
            required:
            - url
            properties:
              url:
                type: string
                minLength: 1
                maxLength: 2048
                pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#]([A-Za-z0-9._~!$&''()*+,;=:@/?#-]|%[0-9A-Fa-f]{2})*)?$(?!\n)'
                description: An absolute https or http address, RFC 3986 characters only (anything else percent-encoded), no credentials
              type:
                type:
                - string
                - 'null'
                enum:
                - image
                - video
                - null
                description: How the console shows it; image when left out
            description: Where the platform serves the subject's media, for the moderator console's preview (blurred until the moderator
              reveals it). Vigil keeps the address, never the media
        description: A video, comment or account
    Subject:
      type: object
      required:
      - id
      - kind
      - creator_id
      - state
      properties:
        id:
          type: string
        kind:
          type: string
          enum:
          - video
          - live
          - comment
          - account
        creator_id:
          type: string
        state:
          type: string
          enum:
          - visible
          - suppressed
          - pending_review
          - removed
        title:
          type:
          - string
          - 'null'
        restriction:
          type:
          - object
          - 'null'
          description: Present when the subject is not visible. Never names or counts reporters.
          properties:
            state:
              type: string
            ground:
              type:
              - string
              - 'null'
              description: The policy category
            ground_title:
              type:
              - string
              - 'null'
            since:
              type: string
              format: date-time
              description: When the restriction began, to the hour
    ReportSubmission:
      oneOf:
      - type: object
        required:
        - reporter_id
        - subject_id
        - reason
        additionalProperties: false
        properties:
          reporter_id: &id004
            $ref: '#/components/schemas/Id'
          subject_id: *id004
          reason:
            $ref: '#/components/schemas/PolicyCategory'
          note:
            type:
            - string
            - 'null'
            maxLength: 2000
            pattern: ^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
          channel:
            type:
            - string
            - 'null'
            enum:
            - user_report
            - trusted_flagger
            - null
            default: user_report
          reporter_account_age_days:
            type:
            - integer
            - 'null'
            minimum: 0
            maximum: 36500
        description: A user report (the default) or a trusted flagger's report (the key also needs reports:trusted)
      - type: object
        required:
        - reporter_id
        - subject_id
        - reason
        - channel
        - notice
        additionalProperties: false
        properties:
          reporter_id: &id005
            $ref: '#/components/schemas/Id'
          subject_id: *id005
          reason:
            $ref: '#/components/schemas/PolicyCategory'
          note:
            type:
            - string
            - 'null'
            maxLength: 2000
            pattern: ^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
          channel:
            const: illegal_content_notice
          reporter_account_age_days:
            type:
            - integer
            - 'null'
            minimum: 0
            maximum: 36500
          notice:
            type: object
            additionalProperties: false
            description: Required for channel illegal_content_notice (DSA Art. 16), refused otherwise
            required:
            - explanation
            - location_url
            - notifier_name
            - notifier_email
            properties:
              explanation:
                type: string
                minLength: 1
                maxLength: 10000
                pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
              location_url:
                type: string
                maxLength: 2048
                pattern: ^https?://[^\x00-\x20\x7f-\x9f]+$(?!\n)
              legal_ground:
                type:
                - string
                - 'null'
                minLength: 1
                maxLength: 1000
                pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
              notifier_name:
                type: string
                minLength: 1
                maxLength: 256
                pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
              notifier_email:
                type: string
                maxLength: 256
                pattern: ^[^\x00-\x20\x7f-\x9f@]+@[^\x00-\x20\x7f-\x9f@]+$(?!\n)
        description: A notice of illegal content (DSA Art. 16)
    ReportReceipt:
      type: object
      required:
      - report_id
      - status
      - counted
      properties:
        report_id:
          type: string
        status:
          type: string
          enum:
          - received
          - duplicate
        counted:
          type: boolean
    NoticeList:
      type: object
      required:
      - notices
      - next_cursor
      properties:
        next_cursor:
          type:
          - string
          - 'null'
        notices:
          type: array
          items:
            type: object
            required:
            - notice_id
            - kind
            - created_at
            - content
            properties:
              notice_id:
                type: string
              kind:
                type: string
                enum:
                - statement_of_reasons
                - restriction_lifted
                - misuse_warning
                - misuse_suspension
                - misuse_suspension_lifted
                - appeal_outcome
              subject_id:
                type:
                - string
                - 'null'
              decision_id:
                type:
                - string
                - 'null'
              created_at:
                type: string
                format: date-time
              content:
                type: object
                description: 'For statement_of_reasons: restriction, facts, automated_detection, automated_decision, grounds, policy_version,
                  redress, appealable_decision_id, appeal_deadline. Otherwise: message, and until, decision_id or measure_id (a misuse measure
                  the reporter can appeal) where they apply'
    Queue:
      type: object
      required:
      - cases
      - as_of
      - next_cursor
      properties:
        as_of:
          type: string
          format: date-time
        next_cursor:
          type:
          - string
          - 'null'
        cases:
          type: array
          items:
            type: object
            properties:
              case_id:
                type: string
              subject_id:
                type: string
              kind:
                type: string
              category:
                type: string
              severity:
                type: string
              subject_state:
                type: string
              weighted_score:
                type: number
              views:
                type: integer
              live_viewers:
                type: integer
              opened_at:
                type: string
                format: date-time
              deadline_at:
                type: string
                format: date-time
              overdue:
                type: boolean
              priority:
                type: number
              claimed:
                type: boolean
              urgent:
                type: boolean
                description: Opened by a lone report in a critical category; leads the queue with a short deadline
              coordination_suspected:
                type: boolean
              detected_by:
                type: string
                description: The detection rule that raised the case, if automation did
    Claim:
      type: object
      required:
      - case_id
      - subject_id
      - held_by
      properties:
        case_id:
          type: string
        subject_id:
          type: string
        held_by:
          type: string
        expires_at:
          type: string
          format: date-time
    DecisionInput:
      oneOf:
      - type: object
        required:
        - outcome
        - policy_ids
        - action
        - note
        additionalProperties: false
        properties:
          outcome:
            const: violation
          policy_ids:
            type: array
            minItems: 1
            uniqueItems: true
            items: *id003
          action:
            type: string
            enum:
            - remove
            - suppress
          strike:
            type:
            - boolean
            - 'null'
            default: false
          note:
            type: string
            minLength: 1
            maxLength: 5000
            pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
      - type: object
        required:
        - outcome
        - note
        additionalProperties: false
        properties:
          outcome:
            const: no_violation
          policy_ids:
            type:
            - array
            - 'null'
            maxItems: 0
          strike:
            anyOf:
            - const: false
            - type: 'null'
          note:
            type: string
            minLength: 1
            maxLength: 5000
            pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
    Decision:
      type: object
      properties:
        decision_id:
          type: string
        case_id:
          type: string
        subject_id:
          type: string
        outcome:
          type: string
        policy_ids:
          type: array
          items:
            type: string
        action:
          type:
          - string
          - 'null'
        strike:
          type: boolean
        resulting_state:
          type: string
        policy_version:
          type: string
        decided_at:
          type: string
          format: date-time
    Appeal:
      type: object
      required:
      - appeal_id
      - appellant_type
      - status
      - filed_at
      properties:
        appeal_id:
          type: string
        decision_id:
          type: string
          description: The decision contested (or measure_id)
        measure_id:
          type: string
          description: The misuse measure contested (or decision_id)
        appellant_type:
          type: string
          enum:
          - creator
          - reporter
        creator_id:
          type: string
        statement:
          type: string
          description: Shown to appeals moderators only
        status:
          type: string
          enum:
          - open
          - granted
          - denied
        filed_at:
          type: string
          format: date-time
        decided_at:
          type: string
          format: date-time
        outcome_note:
          type: string
    ReportList:
      type: object
      required:
      - reports
      - next_cursor
      properties:
        next_cursor:
          type:
          - string
          - 'null'
        reports:
          type: array
          items:
            type: object
            required:
            - report_id
            - subject_id
            - reason
            - channel
            - status
            - received_at
            properties:
              report_id:
                type: string
              subject_id:
                type: string
              reason:
                type: string
              channel:
                type: string
                enum:
                - user_report
                - illegal_content_notice
                - trusted_flagger
              status:
                type: string
                enum:
                - open
                - action_taken
                - no_violation
              received_at:
                type: string
                format: date-time
    WebhookEventTypes:
      description: The message types to receive; null for every type
      type:
      - array
      - 'null'
      minItems: 1
      items:
        type: string
        enum:
        - subject.state_changed
        - account_action.applied
        - account_action.lifted
        - notice.issued
    WebhookEndpointInput:
      type: object
      additionalProperties: false
      required:
      - url
      properties:
        url:
          type: string
          maxLength: 2048
          description: https, to a public address
        event_types:
          $ref: '#/components/schemas/WebhookEventTypes'
        description:
          type:
          - string
          - 'null'
          maxLength: 500
        enabled:
          type: boolean
    WebhookEndpointChange:
      type: object
      additionalProperties: false
      properties:
        url:
          type: string
          maxLength: 2048
        event_types:
          $ref: '#/components/schemas/WebhookEventTypes'
        description:
          type:
          - string
          - 'null'
          maxLength: 500
        enabled:
          type: boolean
    WebhookEndpoint:
      type: object
      required:
      - id
      - url
      - event_types
      - enabled
      - created_at
      - updated_at
      properties:
        id:
          type: string
        url:
          type: string
        description:
          type:
          - string
          - 'null'
        event_types:
          type:
          - array
          - 'null'
          items:
            type: string
        enabled:
          type: boolean
        disabled_reason:
          description: Why Vigil disabled it on its own (gone, failing)
          type:
          - string
          - 'null'
        failing_since:
          type:
          - string
          - 'null'
        previous_secret_until:
          description: Until when the rotated-out secret still signs
          type:
          - string
          - 'null'
        created_at:
          type: string
          format: date-time
        updated_at:
          type: string
          format: date-time
    IssuedWebhookEndpoint:
      type: object
      required:
      - endpoint
      - secret
      properties:
        endpoint:
          $ref: '#/components/schemas/WebhookEndpoint'
        secret:
          type: string
          description: whsec_ and base64; shown once
    SignalsInput:
      type: object
      required:
      - signals
      additionalProperties: false
      properties:
        signals:
          type: array
          minItems: 1
          maxItems: 100
          items:
            oneOf:
            - $ref: '#/components/schemas/ClassifierSignal'
            - $ref: '#/components/schemas/HashMatchSignal'
            - $ref: '#/components/schemas/ValueSignal'
            - $ref: '#/components/schemas/PDQSignal'
            - $ref: '#/components/schemas/VPDQSignal'
    SignalSource:
      allOf:
      - $ref: '#/components/schemas/Id'
      - maxLength: 128
        not:
          const: vigil
      description: Who produced the signal; 'vigil' is reserved for Vigil's own classifiers
    SignalLabel:
      allOf:
      - $ref: '#/components/schemas/Id'
      - maxLength: 128
    SignalText:
      type: string
      minLength: 1
      maxLength: 128
      pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
    OptionalSignalText:
      type:
      - string
      - 'null'
      minLength: 1
      maxLength: 128
      pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
    ClassifierSignal:
      type: object
      required: [id, source, type, label, score, model]
      additionalProperties: false
      properties:
        id:
          $ref: '#/components/schemas/Id'
        source:
          $ref: '#/components/schemas/SignalSource'
        type:
          const: classifier
        label:
          $ref: '#/components/schemas/SignalLabel'
        score:
          type: number
          minimum: 0
          maximum: 1
        model:
          $ref: '#/components/schemas/SignalText'
        model_version:
          $ref: '#/components/schemas/OptionalSignalText'
    HashMatchSignal:
      type: object
      required: [id, source, type, label, distance]
      additionalProperties: false
      properties:
        id:
          $ref: '#/components/schemas/Id'
        source:
          $ref: '#/components/schemas/SignalSource'
        type:
          const: hash_match
        label:
          $ref: '#/components/schemas/SignalLabel'
          description: The bank matched
        distance:
          type: integer
          minimum: 0
          maximum: 256
        value:
          type:
          - string
          - 'null'
          minLength: 1
          maxLength: 1000
          pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
        model:
          $ref: '#/components/schemas/OptionalSignalText'
        model_version:
          $ref: '#/components/schemas/OptionalSignalText'
    ValueSignal:
      type: object
      required: [id, source, type, label, value]
      additionalProperties: false
      description: A text match (label the term list, value the term) or metadata (label the key)
      properties:
        id:
          $ref: '#/components/schemas/Id'
        source:
          $ref: '#/components/schemas/SignalSource'
        type:
          enum: [text_match, metadata]
        label:
          $ref: '#/components/schemas/SignalLabel'
        value:
          type: string
          minLength: 1
          maxLength: 1000
          pattern: ^[\t\n\r ]*[^\x00-\x20\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
        model:
          $ref: '#/components/schemas/OptionalSignalText'
        model_version:
          $ref: '#/components/schemas/OptionalSignalText'
    PDQSignal:
      type: object
      required: [id, source, type, value]
      additionalProperties: false
      description: A PDQ hash the platform computed of an image of the subject (a cover, a thumbnail)
      properties:
        id:
          $ref: '#/components/schemas/Id'
        source:
          $ref: '#/components/schemas/SignalSource'
        type:
          const: pdq
        label:
          anyOf:
          - $ref: '#/components/schemas/SignalLabel'
          - type: 'null'
          description: What was hashed (default pdq)
        value:
          type: string
          pattern: ^[0-9a-f]{64}$(?!\n)
          description: The hash, 64 lowercase hex digits
        quality:
          type:
          - integer
          - 'null'
          minimum: 0
          maximum: 100
          description: The image's PDQ quality; under 50 the hash is kept but not matched
        model:
          $ref: '#/components/schemas/OptionalSignalText'
        model_version:
          $ref: '#/components/schemas/OptionalSignalText'
    VPDQSignal:
      type: object
      required: [id, source, type, frames]
      additionalProperties: false
      description: A video's vPDQ frame hashes the platform computed (one frame a second is usual)
      properties:
        id:
          $ref: '#/components/schemas/Id'
        source:
          $ref: '#/components/schemas/SignalSource'
        type:
          const: vpdq
        label:
          anyOf:
          - $ref: '#/components/schemas/SignalLabel'
          - type: 'null'
          description: What was hashed (default vpdq)
        frames:
          type: array
          minItems: 1
          maxItems: 1000
          items:
            type: string
            pattern: ^\d{1,9},(100|[1-9]?\d),[0-9a-f]{64},\d{1,9}(\.\d{1,6})?$(?!\n)
            description: frame,quality,hash,timestamp as the vPDQ reference writes them
        model:
          $ref: '#/components/schemas/OptionalSignalText'
        model_version:
          $ref: '#/components/schemas/OptionalSignalText'
    SignalsResult:
      type: object
      required: [recorded, duplicates, subject_state]
      additionalProperties: false
      properties:
        recorded:
          type: integer
        duplicates:
          type: integer
        subject_state:
          type: string
          enum: [visible, suppressed, pending_review, removed]
    MediaInput:
      type: object
      required: [media_url]
      additionalProperties: false
      properties:
        media_url:
          type: string
          minLength: 1
          maxLength: 2048
          description: An https URL on an allow-listed media host
    MediaResult:
      type: object
      required: [content_type, bytes, sha256, classifiers, hashing, recorded, duplicates, subject_state]
      additionalProperties: false
      properties:
        content_type:
          type: string
        bytes:
          type: integer
        sha256:
          type: string
        classifiers:
          type: array
          items:
            type: object
            required: [classifier, status, labels]
            additionalProperties: false
            properties:
              classifier:
                type: string
              status:
                type: string
                enum: [ok, skipped, circuit_open, timeout, error]
              detail:
                type: string
              model:
                type: string
              model_version:
                type: string
              labels:
                type: array
                items:
                  type: object
                  required: [label, score]
                  additionalProperties: false
                  properties:
                    label:
                      type: string
                    score:
                      type: number
        hashing:
          type: object
          required: [status, frames, truncated, matches]
          additionalProperties: false
          properties:
            status:
              type: string
              enum: [ok, skipped, error]
            detail:
              type: string
            type:
              type: string
              enum: [pdq, vpdq]
            quality:
              type: integer
            frames:
              type: integer
            truncated:
              type: boolean
            matches:
              type: array
              items:
                type: object
                required: [bank, content_id, distance]
                additionalProperties: false
                properties:
                  bank:
                    type: string
                  content_id:
                    type: string
                  distance:
                    type: integer
                  query_percent:
                    type: number
                  compared_percent:
                    type: number
        recorded:
          type: integer
        duplicates:
          type: integer
        subject_state:
          type: string
          enum: [visible, suppressed, pending_review, removed]
    Bank:
      type: object
      required: [name, enabled, enabled_ratio, contents, hashes, removed_contents, created_at, updated_at]
      additionalProperties: false
      properties:
        name:
          type: string
        description:
          type: string
        enabled:
          type: boolean
          description: The kill switch
        enabled_ratio:
          type: number
          description: The share of subjects matched against the bank (a fixed draw per subject)
        contents:
          type: integer
        hashes:
          type: integer
        removed_contents:
          type: integer
        created_at:
          type: string
        updated_at:
          type: string
    BankName:
      type: string
      pattern: ^[a-z0-9][a-z0-9_-]{0,63}$(?!\n)
    BankRatio:
      type:
      - number
      - 'null'
      minimum: 0
      maximum: 1
    BankDescription:
      type:
      - string
      - 'null'
      maxLength: 500
      pattern: ^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$(?!\n)
    RuleSet:
      type: object
      required: [rule_set_version, precision_floor, rules]
      additionalProperties: false
      properties:
        rule_set_version:
          type: string
        precision_floor:
          type: object
          required: [floor, min_decisions]
          additionalProperties: false
          properties:
            floor:
              type: number
            min_decisions:
              type: integer
        rules:
          type: array
          items:
            type: object
            required: [id, title, policy, action, mode, file_mode, hits, actions, upheld, overturned, appeals_granted]
            additionalProperties: false
            properties:
              id:
                type: string
              title:
                type: string
              policy:
                type: string
              action:
                type: string
                enum: [allow, escalate, suppress, pending_review, remove]
              mode:
                type: string
                enum: [live, shadow, disabled]
              file_mode:
                type: string
                enum: [live, shadow, disabled]
              mode_reason:
                type: string
              mode_changed_at:
                type: string
                format: date-time
              daily_cap:
                type: integer
              hits:
                type: integer
              actions:
                type: integer
              upheld:
                type: integer
              overturned:
                type: integer
              appeals_granted:
                type: integer
              precision:
                type: number
              precision_low:
                type: number
              precision_high:
                type: number
    Id:
      type: string
      minLength: 1
      maxLength: 256
      pattern: ^[^\x00-\x20\x7f-\x9f]+$(?!\n)
      description: 'An id: 1 to 256 characters (code points), no spaces or control characters'
    PolicyCategory:
      type: string
      description: A category of the policy in force (the enum is filled from it when served)
    OpaqueCursor:
      type: string
      minLength: 1
      maxLength: 512
      pattern: ^[A-Za-z0-9_-]+$(?!\n)
      description: A next_cursor this server returned; any other value is refused (422)
"""#
}
