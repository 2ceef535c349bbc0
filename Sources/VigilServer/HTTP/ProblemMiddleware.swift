import Hummingbird
import Logging
import NIOHTTP1
import VigilCore

/// Turns every error thrown below it into a problem+json response, so no error reaches the client
/// as a bare status or a stack trace. Unexpected errors are logged (without request data) and
/// answered as a generic 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as VigilError {
            return ProblemResponse(error).response
        } catch let error as ProblemResponse {
            return error.response
        } catch let error as any HTTPResponseError {
            // The router's 404 for a path it has, asked with a method it does not answer.
            if error.status == .notFound, let allowed = routes.allowedMethods(for: request.uri.path) {
                return ProblemResponse(VigilError.methodNotAllowed(
                    detail: "\(request.method.rawValue) is not answered here; allowed: \(allowed.isEmpty ? "none" : allowed.joined(separator: ", "))",
                    allowed: allowed)).response
            }
            return Self.problem(for: error).response
        } catch let error as HTTPParserError {
            // The request's bytes are not HTTP (a malformed chunk size, say): the client's fault.
            return ProblemResponse(status: .badRequest, slug: "malformed-request", title: "Malformed request",
                                   detail: "the request is not valid HTTP/1.1 (\(error))").response
        } catch {
            context.logger.error("unhandled error", metadata: ["error_type": "\(type(of: error))"])
            return ProblemResponse(status: .internalServerError, slug: "internal", title: "Internal error", detail: "the server failed to answer this request").response
        }
    }

    /// Hummingbird's and NIO's own errors (unknown routes, bodies over the limit, …), by status.
    static func problem(for error: any HTTPResponseError) -> ProblemResponse {
        switch error.status {
        case .notFound:
            ProblemResponse(status: .notFound, slug: "not-found", title: "Not found", detail: "no such endpoint")
        case .contentTooLarge:
            ProblemResponse(VigilError.payloadTooLarge(limitBytes: VigilRequestContext.bodyLimit))
        case .methodNotAllowed:
            ProblemResponse(status: .methodNotAllowed, slug: "method-not-allowed", title: "Method not allowed", detail: "this endpoint does not support the method")
        default:
            ProblemResponse(
                status: error.status, slug: "http-\(error.status.code)", title: error.status.reasonPhrase,
                detail: (error as? HTTPError)?.body ?? error.status.reasonPhrase)
        }
    }
}
