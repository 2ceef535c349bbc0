import Foundation

/// The data directory holds reporters' notes, illegal-content explanations and appeal statements:
/// only the account Vigil runs as may read it. Directory 0700, every file in it 0600.
public enum DataDirectory {
    /// Creates the directory if needed and takes away every permission of group and others from
    /// it and from the files already in it (a database made by an older Vigil was 0644). Sets the
    /// process umask to 077 first, so files made later (SQLite's -wal and -shm, exports) are
    /// private from the moment they exist.
    public static func secure(_ path: String) throws {
        umask(0o077)
        let manager = FileManager.default
        try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        for name in try manager.contentsOfDirectory(atPath: path) {
            let file = (path as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: file, isDirectory: &isDirectory) else { continue }
            let attributes = try manager.attributesOfItem(atPath: file)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
            if mode & 0o077 != 0 {
                try manager.setAttributes([.posixPermissions: mode & 0o700], ofItemAtPath: file)
            }
        }
    }
}
