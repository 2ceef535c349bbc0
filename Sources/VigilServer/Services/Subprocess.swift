import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs programs with `posix_spawn`, not Foundation's `Process`: on Linux `Process.run()` crashes
/// now and then (a buffer over-read while it lists `/proc/self/fd`, swift-corelibs-foundation
/// #5472, fixed after the toolchain Vigil builds with). Pipes are made close-on-exec, so a child
/// inherits only its own standard input, output and error.
public enum Subprocess {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// How a program ended, and what it wrote.
    public struct Output: Sendable {
        /// The exit status, or the signal that ended it.
        public var status: Int32
        public var signalled: Bool
        public var stdout: [UInt8]
        public var stderr: [UInt8]

        public var succeeded: Bool { !signalled && status == 0 }
    }

    /// Runs `path` with `input` on its standard input and returns what it wrote, killing it after
    /// `timeout` seconds. Writing and reading happen at once, so large outputs cannot deadlock.
    public static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil, input: [UInt8] = [],
                           timeout: Double? = nil) throws -> Output {
        ignoreBrokenPipes
        let stdin = try pipe(), stdout = try pipe(), stderr = try pipe()
        let pid: pid_t
        do {
            pid = try spawn(path, arguments, environment: environment, stdin: stdin.read, stdout: stdout.write, stderr: stderr.write)
        } catch {
            for fd in [stdin.read, stdin.write, stdout.read, stdout.write, stderr.read, stderr.write] { close(fd) }
            throw error
        }
        close(stdin.read)
        close(stdout.write)
        close(stderr.write)

        let collected = Mutex<(out: [UInt8], err: [UInt8])>(([], []))
        let group = DispatchGroup()
        let inputFD = stdin.write, outFD = stdout.read, errFD = stderr.read
        DispatchQueue.global().async(group: group) {
            input.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count, let base = bytes.baseAddress {
                    let written = write(inputFD, base + offset, bytes.count - offset)
                    if written < 0 { if errno == EINTR { continue } else { break } }
                    offset += written
                }
            }
            close(inputFD)
        }
        DispatchQueue.global().async(group: group) {
            let data = readAll(outFD)
            collected.withLock { $0.out = data }
        }
        DispatchQueue.global().async(group: group) {
            let data = readAll(errFD)
            collected.withLock { $0.err = data }
        }
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        if let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer) }
        group.wait()
        let (status, signalled) = wait(pid)
        killer.cancel()
        let (out, err) = collected.withLock { ($0.out, $0.err) }
        return Output(status: status, signalled: signalled, stdout: out, stderr: err)
    }

    /// ``run(_:_:environment:input:timeout:)`` on a thread of its own, for async callers: a program
    /// can run for seconds, and a blocked thread of Swift's cooperative pool (as many as the
    /// cores) stalls every task waiting for it.
    public static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil, input: [UInt8] = [],
                           timeout: Double? = nil) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try run(path, arguments, environment: environment, input: input, timeout: timeout) as Output })
            }.start()
        }
    }

    /// ``wait(_:)`` on a thread of its own, for async callers.
    public static func exit(of pid: pid_t) async -> (status: Int32, signalled: Bool) {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: wait(pid)) }.start()
        }
    }

    /// Starts `path`; the given descriptors become its standard input, output and error
    /// (`/dev/null` for those not given). Returns its process id, for ``wait(_:)`` and `kill`.
    public static func spawn(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                             stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, target, flags) in [(stdin, Int32(0), O_RDONLY), (stdout, 1, O_WRONLY), (stderr, 2, O_WRONLY)] {
            if let fd {
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", flags, 0)
            }
        }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else { throw Failure(description: "cannot start \(path): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Waits for a spawned program to end: its exit status, or the signal that ended it.
    public static func wait(_ pid: pid_t) -> (status: Int32, signalled: Bool) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return (-1, false) }
        }
        let signal = status & 0x7f
        return signal == 0 ? ((status >> 8) & 0xff, false) : (signal, true)
    }

    static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard Glibc.pipe(&fds) == 0 else { throw Failure(description: "cannot make a pipe: \(String(cString: strerror(errno)))") }
        // Close-on-exec (pipe2 is not visible from Swift): a child spawned meanwhile by another
        // thread must not hold this pipe open, or its reader would never see the end.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    private static func readAll(_ fd: Int32) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            data.append(contentsOf: buffer[0..<count])
        }
        close(fd)
        return data
    }

    /// A child that exits before reading all its input must not kill Vigil with SIGPIPE: a write
    /// to its pipe then fails with EPIPE instead.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()
}
