import Foundation
import MoveoAuth
import MoveoStore

/// A seed fixture: integrations with fixed ids and key files (paths relative to the file), applied idempotently at start.
public struct SeedFile: Sendable {
    /// A start-stopping problem naming the file and the field.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// `seed.json: integrations[0].platform_private_key: …`.
        public let description: String
    }

    /// One integration to create or update.
    public struct Entry: Sendable {
        /// The integration's row.
        public var record: IntegrationRecord
        /// Its customer keys.
        public var customerKeys: [RSAPublicKey]
        /// Its platform key, or nil to generate (and keep) one.
        public var platformKey: RSAPrivateKey?
        /// Its webhooks, matched by name (the v3 `webhook_url`/`webhook_secret` are the dialog webhook `default`).
        public var webhooks: [WebhookSettings] = []
    }

    /// The integrations, in file order.
    public var entries: [Entry]

    /// Reads and checks the whole file; nothing is applied when any part fails.
    public init(path: String, now: Double) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        func fail(_ field: String, _ message: String) -> Failure { Failure(description: "seed file \(path): \(field): \(message)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("(file)", "cannot be read") }
        guard let root = try? JSONParser.parse(Array(data)), root.objectMembers != nil else { throw fail("(file)", "is not a JSON object") }
        guard case .array(let list)? = root["integrations"] else { throw fail("integrations", "must be an array") }
        var entries: [Entry] = []
        for (index, item) in list.enumerated() {
            let prefix = "integrations[\(index)]"
            guard item.objectMembers != nil else { throw fail(prefix, "must be an object") }
            guard let id = item["integration_id"]?.stringValue, EmulatorService.isValidIntegrationId(id) else {
                throw fail("\(prefix).integration_id", "must be a string of [A-Za-z0-9_-]{1,64}")
            }
            let name = item["name"].map { $0.stringValue } ?? id
            guard let name, !name.isEmpty else { throw fail("\(prefix).name", "must be a non-empty string") }
            var authRequired = true
            if let value = item["auth_required"] {
                guard case .bool(let flag) = value else { throw fail("\(prefix).auth_required", "must be true or false") }
                authRequired = flag
            }
            var timeout = EmulatorService.defaultSessionTimeout
            if let value = item["session_timeout"] {
                guard let seconds = value.doubleValue, seconds >= 1, seconds == seconds.rounded(), seconds <= 315_360_000 else {
                    throw fail("\(prefix).session_timeout", "must be a whole number of seconds ≥ 1")
                }
                timeout = Int(seconds)
            }
            var customerKeys: [RSAPublicKey] = []
            if let value = item["customer_public_keys"] {
                guard case .array(let paths) = value else { throw fail("\(prefix).customer_public_keys", "must be an array of file paths") }
                for (keyIndex, entry) in paths.enumerated() {
                    let field = "\(prefix).customer_public_keys[\(keyIndex)]"
                    do {
                        if let relative = entry.stringValue {
                            guard let text = Self.read(relative, in: folder) else { throw fail(field, "\(relative) cannot be read") }
                            customerKeys.append(try RSAPublicKey(importing: text))
                        } else {
                            customerKeys.append(try RSAPublicKey(importing: entry))
                        }
                    } catch let error as AuthError {
                        throw fail(field, "\(error.code.rawValue): \(error.detail)")
                    }
                }
            }
            var platformKey: RSAPrivateKey?
            if let value = item["platform_private_key"] {
                let field = "\(prefix).platform_private_key"
                guard let relative = value.stringValue else { throw fail(field, "must be a file path") }
                guard let text = Self.read(relative, in: folder) else { throw fail(field, "\(relative) cannot be read") }
                do {
                    platformKey = try RSAPrivateKey(pem: text)
                } catch {
                    throw fail(field, "\(relative) is not an unencrypted RSA private key in PEM (\(error.detail))")
                }
            }
            var webhooks: [WebhookSettings] = []
            if let value = item["webhook_url"] {
                guard let text = value.stringValue, EmulatorService.isValidWebhookURL(text) else {
                    throw fail("\(prefix).webhook_url", "must be an http(s) URL with a host")
                }
                var legacy = WebhookSettings(name: "default", type: "dialog", url: text)
                if let secret = item["webhook_secret"] {
                    guard let text = secret.stringValue, text.utf8.count >= 8 else {
                        throw fail("\(prefix).webhook_secret", "must be a string of at least 8 bytes")
                    }
                    legacy.verificationToken = text
                }
                webhooks.append(legacy)
            }
            if let value = item["webhooks"] {
                guard case .array(let list) = value else { throw fail("\(prefix).webhooks", "must be an array") }
                for (webhookIndex, webhook) in list.enumerated() {
                    do {
                        webhooks.append(try WebhookSettings.read(webhook, creating: true))
                    } catch {
                        throw fail("\(prefix).webhooks[\(webhookIndex)].\(error.field)", error.message)
                    }
                }
            }
            let record = IntegrationRecord(id: id, name: name, authRequired: authRequired, sessionTimeout: timeout, createdAt: now)
            entries.append(Entry(record: record, customerKeys: customerKeys, platformKey: platformKey, webhooks: webhooks))
        }
        self.entries = entries
    }

    private static func read(_ relative: String, in folder: URL) -> String? {
        let url = relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : folder.appendingPathComponent(relative)
        return FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) }
    }
}
