/// The emulator's version: the CLI's `--version` and the OpenAPI document's `info.version` (a test keeps them equal).
public enum EmulatorVersion {
    /// `MAJOR.MINOR.PATCH`; the minor number follows the contract's version.
    public static let current = "0.4.0"
}
