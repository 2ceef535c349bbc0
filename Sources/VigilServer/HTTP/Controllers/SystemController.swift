import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// `/healthz`, `/readyz` and `/openapi.json`: unauthenticated, for orchestrators and clients.
struct SystemController {
    let store: Store
    let openAPI: ByteBuffer

    func addRoutes(to router: Router<VigilRequestContext>) {
        router.get("healthz") { _, _ in try JSONBody.response(["status": "ok"]) }
        router.get("readyz") { _, _ in
            guard await store.ping() else { throw VigilError.unavailable(detail: "the database is not reachable") }
            guard (try? await store.isMigrated()) == true else { throw VigilError.unavailable(detail: "database migrations are not applied") }
            return try JSONBody.response(["status": "ready"])
        }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: openAPI))
        }
    }
}
