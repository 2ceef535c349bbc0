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
/// never completes); it owns the connection's deadline. The HTTP decoder sits between it and
/// ``RequestProgressHandler``, which tells it where each request stands.
///
/// Moving the deadline costs a clock read, not a timer: the one scheduled check, when it fires
/// before the current deadline, reschedules itself for it. So a busy keep-alive connection does
/// not schedule and cancel a timer per request.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Any

    private enum Phase: String { case idle, header, body, handling }

    private let timeouts: ConnectionTimeouts
    private let logger: Logger
    private var phase = Phase.idle
    private var inFlight = 0
    /// When the connection is closed unless something moves it; nil while a request is handled.
    private var deadline: NIODeadline?
    private var check: Scheduled<Void>?
    /// When the scheduled check fires.
    private var scheduledFor = NIODeadline.distantFuture

    init(timeouts: ConnectionTimeouts, logger: Logger) {
        self.timeouts = timeouts
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { enter(.idle, context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { stop() }

    func channelActive(context: ChannelHandlerContext) {
        enter(.idle, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if phase == .idle, inFlight == 0 { enter(.header, context: context) }
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
            enter(.body, context: context)
        case .requestEnded:
            enter(.handling, context: context)
        case .responseEnded:
            inFlight = max(0, inFlight - 1)
            if inFlight == 0 { enter(.idle, context: context) }
        }
        promise?.succeed(())
    }

    private func enter(_ next: Phase, context: ChannelHandlerContext) {
        phase = next
        let amount: TimeAmount? = switch next {
        case .idle: timeouts.idle
        case .header: timeouts.header
        case .body: timeouts.body
        case .handling: nil
        }
        guard let amount else {
            deadline = nil
            return
        }
        let due = NIODeadline.now() + amount
        deadline = due
        // A check already scheduled for later than the new deadline would come too late.
        if let scheduled = check, scheduledFor > due {
            scheduled.cancel()
            check = nil
        }
        if check == nil { schedule(at: due, context: context) }
    }

    private func schedule(at due: NIODeadline, context: ChannelHandlerContext) {
        scheduledFor = due
        check = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            check = nil
            guard let deadline else { return }  // a request is being handled: its end sets the next deadline
            if deadline <= NIODeadline.now() {
                // Idle connections are closed quietly; a slow header or body is worth a line.
                if phase != .idle { logger.notice("connection closed: request too slow", metadata: ["phase": "\(phase.rawValue)"]) }
                context.close(promise: nil)
            } else {
                schedule(at: deadline, context: context)
            }
        }
    }

    private func stop() {
        check?.cancel()
        check = nil
        deadline = nil
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
