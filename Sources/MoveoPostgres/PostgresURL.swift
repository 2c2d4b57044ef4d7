import Foundation

/// A `postgres://user:password@host:port/database` URL, read once; its description never shows the password.
public struct PostgresURL: Sendable, CustomStringConvertible {
    /// The server's host name or address.
    public var host: String
    /// The server's port (5432 when the URL names none).
    public var port: Int
    /// The role to connect as.
    public var username: String
    /// The role's password, if the URL has one.
    public var password: String?
    /// The database name (the user's name when the URL names none).
    public var database: String
    /// `sslmode=require` (TLS required) or `disable` (none); otherwise TLS when the server offers it.
    public var sslMode: String

    /// Whether `text` is meant as a PostgreSQL URL (rather than a SQLite path).
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads `text`; nil when it is not a PostgreSQL URL with a host and a user.
    public init?(_ text: String) {
        guard Self.isPostgres(text), let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
              let user = components.user, !user.isEmpty else { return nil }
        self.host = host
        port = components.port ?? 5432
        username = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let path = components.path.drop { $0 == "/" }
        database = path.isEmpty ? username : String(path)
        sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
    }

    /// The URL with the password replaced by `***`: what log lines and errors show.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }
}
