import Hummingbird
import Logging

/// Logs every request at `info`, as the outermost middleware so that requests answered with a
/// problem are logged too: method, route pattern (`/v1/reporters/{reporter_id}/reports`), status,
/// latency and Hummingbird's request id. Never the concrete path or query: paths can carry
/// reporter ids, and logs must never (DESIGN.md §3.4).
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: "\(response.status.code)", since: start)
            return response
        } catch {
            // Only reached if an error escapes the problem middleware below; Hummingbird answers it.
            log(request, context: context, status: "error", since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: String, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)",
            "route": "\(context.endpointPath ?? "unmatched")",
            "status": "\(status)",
            "duration_ms": "\(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)",
        ])
    }
}
