import Mustache

/// A queue row as the templates read it: the API's own item, looked up by its wire names without
/// a JSON round trip (a queue page's 50 rows spent more time there than in the database).
extension QueueView.Item: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "case_id": caseId
        case "subject_id": subjectId
        case "kind": kind
        case "category": category
        case "severity": severity
        case "subject_state": subjectState
        case "weighted_score": weightedScore
        case "views": views
        case "live_viewers": liveViewers
        // Mustache treats 0 as true: the templates test this flag instead.
        case "watching": liveViewers > 0
        case "opened_at": openedAt
        case "deadline_at": deadlineAt
        case "overdue": overdue
        case "priority": priority
        case "claimed": claimed
        case "urgent": urgent
        case "coordination_suspected": coordinationSuspected
        case "detected_by": detectedBy
        default: nil
        }
    }
}
