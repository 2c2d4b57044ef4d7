import Foundation

/// `openssl speed -seconds 1 rsa2048`, the reference the issue names, run in the same session.
///
/// Spawned with `posix_spawn` and an empty signal mask: Foundation's `Process` passes on the blocked
/// SIGALRM of its thread, and `openssl speed` times itself with `alarm()`, so it would never stop.
struct OpenSSLSpeed {
    var signPerSecond: Double
    var verifyPerSecond: Double

    static func run() -> OpenSSLSpeed? {
        guard let text = spawn(["openssl", "speed", "-seconds", "1", "rsa2048"]) else { return nil }
        // "rsa 2048 bits 0.000850s 0.000025s   1176.5  40000.0"
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("rsa 2048 bits") }) else { return nil }
        let numbers = line.split(separator: " ").compactMap { Double($0) }
        guard numbers.count >= 3 else { return nil }
        return OpenSSLSpeed(signPerSecond: numbers[numbers.count - 2], verifyPerSecond: numbers[numbers.count - 1])
    }

    /// Runs `arguments` (looked up on PATH) with no blocked signals and returns its standard output.
    static func spawn(_ arguments: [String]) -> String? {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ) == 0 else {
            close(pipe[0]); close(pipe[1])
            return nil
        }
        close(pipe[1])
        let output = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true).readDataToEndOfFile()
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return String(decoding: output, as: UTF8.self)
    }
}
