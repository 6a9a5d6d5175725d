import Foundation
import Logging

/// The data directory holds the SQLite database (password hashes, reporters' names and phones) and the photos: only
/// the server's own user may read any of it. New directories are made 0700 and the database file 0600 (SQLite gives
/// its `-wal` and `-shm` files the database file's mode); what an older version or a careless copy left looser is
/// narrowed at start, with a notice in the log.
enum PrivateFiles {
    static let directoryMode = 0o700
    static let fileMode = 0o600

    /// Creates `path` and any missing parents, each 0700.
    static func makeDirectory(_ path: String) throws {
        let fm = FileManager.default
        var missing: [String] = []
        var dir = (path as NSString).standardizingPath
        while !dir.isEmpty, dir != "/", !fm.fileExists(atPath: dir) {
            missing.append(dir)
            dir = (dir as NSString).deletingLastPathComponent
        }
        for d in missing.reversed() {
            do {
                try fm.createDirectory(atPath: d, withIntermediateDirectories: false, attributes: [.posixPermissions: directoryMode])
            } catch where fm.fileExists(atPath: d) {
                continue  // made meanwhile by another process
            }
            // The mode given to mkdir is narrowed by the umask only; set it outright.
            try fm.setAttributes([.posixPermissions: directoryMode], ofItemAtPath: d)
        }
    }

    /// Creates an empty file readable by its owner only, unless one is there (an empty file is an empty SQLite
    /// database, so SQLite opens it rather than making its own with the default mode 0644).
    static func makeFile(_ path: String) throws {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: path) else { return }
        guard fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: fileMode]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// The mode's permission bits, following symbolic links; nil when there is nothing at `path`.
    static func mode(_ path: String) -> Int? {
        let resolved = (path as NSString).resolvingSymlinksInPath
        guard let n = (try? FileManager.default.attributesOfItem(atPath: resolved))?[.posixPermissions] as? NSNumber else { return nil }
        return n.intValue & 0o7777
    }

    /// Narrows `path` to `mode` when its group or others have any access; says so in the log. A file that cannot be
    /// changed (another owner) is reported and left.
    static func tighten(_ path: String, to mode: Int, logger: Logger) {
        guard let current = self.mode(path), current & 0o077 != 0 else { return }
        let resolved = (path as NSString).resolvingSymlinksInPath
        do {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: resolved)
            logger.notice("\(resolved) was readable by other users (mode \(String(current, radix: 8))); narrowed to \(String(mode, radix: 8))")
        } catch {
            logger.warning("\(resolved) is readable by other users (mode \(String(current, radix: 8))) and could not be narrowed: \(error)")
        }
    }

    /// At start: creates what the database needs, private, and narrows what is already there.
    static func secure(_ config: AppConfig, logger: Logger) throws {
        if case .sqlite(let path) = config.database {
            try makeDirectory((path as NSString).deletingLastPathComponent)
            try makeFile(path)
        }
        tighten(config.dataDirectory, to: directoryMode, logger: logger)
        tighten((config.dataDirectory as NSString).appendingPathComponent("photos"), to: directoryMode, logger: logger)
        if case .sqlite(let path) = config.database {
            for file in [path, path + "-wal", path + "-shm", path + "-journal"] { tighten(file, to: fileMode, logger: logger) }
        }
    }
}
