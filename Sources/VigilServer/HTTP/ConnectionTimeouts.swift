import Logging
import NIOCore
import NIOHTTPTypes

/// How long a connection may take over each part of its life before it is closed. Without them a
/// client that opens connections and then sends nothing, or a header a byte at a time, or a body
/// a byte at a time, holds a file descriptor for ever, and a few thousand such clients exhaust them.
public struct ConnectionTimeouts: Sendable, Equatable {
    /// With no request in progress (between keep-alive requests, or before the first byte).
    public var idle: TimeAmount
    /// From the first byte of a request until its header is complete.
    public var header: TimeAmount
    /// From a complete header until the whole body has arrived.
    public var body: TimeAmount

    public init(idle: TimeAmount = .seconds(60), header: TimeAmount = .seconds(10), body: TimeAmount = .seconds(30)) {
        self.idle = idle
        self.header = header
        self.body = body
    }

    public static let standard = ConnectionTimeouts()

    /// The handler Hummingbird adds after HTTP decoding; it installs the byte-level half itself.
    func handlers(logger: Logger) -> [any RemovableChannelHandler] {
        [RequestProgressHandler(deadline: ConnectionDeadlineHandler(timeouts: self, logger: logger))]
    }
}

/// What ``RequestProgressHandler`` tells ``ConnectionDeadlineHandler``, as an outbound user event.
enum RequestProgress {
    case headReceived, requestEnded, responseEnded
}

/// First in the pipeline, so it sees raw bytes (the only way to notice the start of a header that
/// never completes); it owns the connection's one timer. The HTTP decoder sits between it and
/// ``RequestProgressHandler``, which tells it where each request stands.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Any

    private enum Phase: String { case idle, header, body, handling }

    private let timeouts: ConnectionTimeouts
    private let logger: Logger
    private var phase = Phase.idle
    private var inFlight = 0
    private var timer: Scheduled<Void>?

    init(timeouts: ConnectionTimeouts, logger: Logger) {
        self.timeouts = timeouts
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(.idle, context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        arm(.idle, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if phase == .idle, inFlight == 0 { arm(.header, context: context) }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let progress = event as? RequestProgress else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch progress {
        case .headReceived:
            inFlight += 1
            arm(.body, context: context)
        case .requestEnded:
            phase = .handling
            disarm()
        case .responseEnded:
            inFlight = max(0, inFlight - 1)
            if inFlight == 0 { arm(.idle, context: context) }
        }
        promise?.succeed(())
    }

    private func arm(_ next: Phase, context: ChannelHandlerContext) {
        disarm()
        phase = next
        let amount: TimeAmount = switch next {
        case .idle: timeouts.idle
        case .header: timeouts.header
        case .body: timeouts.body
        case .handling: .zero
        }
        guard next != .handling else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: amount) { [self] in
            // Idle connections are closed quietly; a slow header or body is worth a line.
            if phase != .idle { logger.notice("connection closed: request too slow", metadata: ["phase": "\(phase.rawValue)"]) }
            context.close(promise: nil)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}

/// After HTTP decoding: reports each request's header, its end, and the end of its response to
/// ``ConnectionDeadlineHandler``, which it puts at the front of the pipeline when added.
final class RequestProgressHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let deadline: ConnectionDeadlineHandler

    init(deadline: ConnectionDeadlineHandler) { self.deadline = deadline }

    func handlerAdded(context: ChannelHandlerContext) {
        try? context.pipeline.syncOperations.addHandler(deadline, position: .first)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(RequestProgress.headReceived, promise: nil)
        case .end: context.triggerUserOutboundEvent(RequestProgress.requestEnded, promise: nil)
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if isEnd { context.triggerUserOutboundEvent(RequestProgress.responseEnded, promise: nil) }
    }
}
