import Hummingbird
import VigilCore
import VigilStore

/// `GET /metrics`: Prometheus exposition text, for an API key with scope `metrics:read` (a
/// Prometheus scrape job sends it as `authorization: credentials`).
struct MetricsController {
    let metrics: VigilMetrics
    let store: Store
    let clock: VigilClock

    func addRoutes(to router: Router<VigilRequestContext>, keys: AccessKeys) {
        router.group("metrics").add(middleware: APIKeyMiddleware(keys: keys)).get { _, context in
            _ = try context.require(.metricsRead)
            let body = await metrics.render(store: store, now: clock.now())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
