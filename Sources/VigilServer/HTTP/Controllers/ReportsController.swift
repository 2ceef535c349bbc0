import Foundation
import HTTPTypes
import Hummingbird
import VigilCore
import VigilStore

/// `POST /v1/reports`, and the refusal of every way to change a report afterwards.
struct ReportsController {
    let intake: IntakeWorkflow
    let keyring: ReporterKeyring
    let policy: Policy
    let rateLimiter: RateLimiter
    let metrics: VigilMetrics

    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    /// Reports are immutable: these are routed only to say so, whoever asks.
    static let refusedMethods: [String: Set<HTTPRequest.Method>] = ["/v1/reports/{report_id}": [.delete, .patch, .put]]

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.post("reports", use: file)
        for method in Self.refusedMethods.values.flatMap({ $0 }) {
            group.on("reports/{report_id}", method: method) { _, _ -> Response in
                throw VigilError.methodNotAllowed(detail: "reports cannot be edited, withdrawn or deleted once filed", allowed: [])
            }
        }
    }

    @Sendable func file(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let key = try context.require(.reportsWrite)
        let idempotencyKey = try request.headers[Self.idempotencyHeader].map { value throws(VigilError) in
            guard !value.isEmpty, value.count <= ReportLimits.idempotencyKeyMaxCharacters,
                  value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x21 && $0.value < 0x7F })
            else {
                throw VigilError.invalidField(field: "Idempotency-Key", detail: "must be 1 to \(ReportLimits.idempotencyKeyMaxCharacters) visible ASCII characters")
            }
            return "\(key.id):\(value)"
        }
        let (body, bytes) = try await JSONBody.decode(ReportBody.self, from: request, context: context)
        let submission = try body.submission()
        try submission.validate(against: policy)
        if submission.channel == .trustedFlagger, !key.scopes.contains(Scope.reportsTrusted.rawValue) {
            throw VigilError.missingScope(Scope.reportsTrusted.rawValue)
        }
        let reporterHash = keyring.lookupHash(of: submission.reporterID)
        try rateLimiter.admit(reporterHash)
        let contactSeal = try submission.notice.map { try keyring.seal("\($0.notifierName)\n\($0.notifierEmail)") }
        let receipt = try await intake.submit(IntakeRequest(
            subjectID: submission.subjectID, reporterHash: reporterHash, reporterSeal: try keyring.seal(submission.reporterID),
            reason: submission.reason, note: submission.note, channel: submission.channel,
            accountAgeDays: submission.reporterAccountAgeDays, notice: submission.notice, noticeContactSeal: contactSeal,
            idempotencyKey: idempotencyKey, fingerprint: keyring.fingerprint(bytes)))
        // A replay files nothing: counting it would make the figures disagree with the audit log.
        if !receipt.replayed { metrics.recordReport(receipt) }
        return try JSONBody.response(receipt, status: receipt.created ? .created : .ok)
    }
}
