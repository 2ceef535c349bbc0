import VigilStore

/// The opaque ids the platform sees for internal sequence numbers, made in one place so the
/// enforcement feed and webhooks name the same event the same way.
extension ReporterKeyring {
    /// An enforcement event's id (`evt_…`), from its audit sequence number.
    func eventID(seq: Int64) -> String { "evt_" + publicID(for: "event:\(seq)") }

    /// A webhook message's `webhook-id` (`msg_…`), from its outbox number: the same on every
    /// attempt and every endpoint.
    func webhookMessageID(seq: Int64) -> String { "msg_" + publicID(for: "webhook-message:\(seq)") }
}
