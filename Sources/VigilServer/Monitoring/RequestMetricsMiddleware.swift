import Hummingbird

/// Counts and times every request by its route pattern. It is the outermost middleware, so it sees
/// the status the client gets, problem bodies included.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: VigilMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let route = context.endpointPath ?? "unmatched"
        do {
            let response = try await next(request, context)
            metrics.recordRequest(method: request.method.rawValue, route: route, status: Int(response.status.code), duration: ContinuousClock.now - start)
            return response
        } catch {
            // Only errors the problem middleware could not turn into a response get here.
            metrics.recordRequest(method: request.method.rawValue, route: route, status: (error as? any HTTPResponseError)?.status.code ?? 500,
                                  duration: ContinuousClock.now - start)
            throw error
        }
    }
}
