import Hummingbird
import Logging
import ServiceLifecycle

/// Serves `router` on a free loopback port while `body` runs with that port, then shuts it down:
/// the receivers and fake services the tests point Vigil at.
func withLocalServer(_ router: Router<BasicRequestContext>, label: String, _ body: @Sendable (Int) async throws -> Void) async throws {
    let (ports, port) = AsyncStream<Int>.makeStream()
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in port.yield(channel.localAddress?.port ?? 0) }, logger: Logger(label: label))
    let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: Logger(label: label)))
    let running = Task { try await group.run() }
    var iterator = ports.makeAsyncIterator()
    let bound = await iterator.next() ?? 0
    do {
        try await body(bound)
    } catch {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        throw error
    }
    await group.triggerGracefulShutdown()
    _ = try? await running.value
}
