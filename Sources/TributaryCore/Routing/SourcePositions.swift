/// MySQL binlog coordinates as one 63-bit external version.
///
/// Layout, most significant first: the binlog file's sequence number
/// (`mysql-bin.000003` → 3) in 20 bits, `source.pos` in 34 bits, and
/// `source.row` (the row's index inside a multi-row event) in 9 bits.
///
/// Limits: file numbers up to 1,048,575 (MySQL's six-digit suffix goes to
/// 999,999), positions below 16 GiB, and rows 0...511 — a larger row index
/// saturates at 511, which only matters if one binlog event changes the
/// same key twice beyond its 511th row. Ordered within one server's binlog
/// history; a `RESET MASTER`, a restore, or a failover to a server with other
/// file numbers restarts the sequence (reindex, or switch to `ts_ms`).
public enum MySQLBinlogPosition {
    public static let fileBits = 20
    public static let positionBits = 34
    public static let rowBits = 9

    public static func version(source: JSONObject?) throws(DecodeError) -> Int64 {
        guard let file = source?["file"]?.stringValue, let fileNumber = fileNumber(file) else {
            throw DecodeError(.missingVersion, "event has no binlog source.file like mysql-bin.000003 (version.source=binlog)")
        }
        guard let position = VersionSource.integer(source?["pos"]), position >= 0 else {
            throw DecodeError(.missingVersion, "event has no numeric source.pos (version.source=binlog)")
        }
        let row = max(0, VersionSource.integer(source?["row"]) ?? 0)
        return try pack(file: fileNumber, position: position, row: row)
    }

    /// Packs coordinates; throws when the file number or position does not fit.
    public static func pack(file: Int64, position: Int64, row: Int64) throws(DecodeError) -> Int64 {
        guard file >= 0, file < 1 << fileBits else {
            throw DecodeError(.missingVersion, "binlog file number \(file) exceeds \((1 << fileBits) - 1); use version.source=ts_ms")
        }
        guard position < 1 << positionBits else {
            throw DecodeError(.missingVersion, "binlog position \(position) exceeds 2^\(positionBits); use version.source=ts_ms")
        }
        let clampedRow = min(row, (1 << rowBits) - 1)
        return file << (positionBits + rowBits) | position << rowBits | clampedRow
    }

    /// The number after the last `.` of a binlog file name.
    static func fileNumber(_ name: String) -> Int64? {
        let digits = name.split(separator: ".").last.map(String.init) ?? name
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int64(digits)
    }
}

/// SQL Server LSNs (`0000002d:00000670:0003`: VLF sequence, log block,
/// slot, in hex) as one 63-bit external version.
///
/// Layout: VLF sequence number in 27 bits, block offset in 24 bits, slot in
/// 12 bits — order-preserving for VLF numbers below 134 million, VLFs up to
/// 8 GiB and 4,095 log records per block. The version is `commit_lsn` (the
/// transaction's commit, shared by all its changes; `change_lsn` only when
/// there is no commit LSN), written with `version_type=external_gte` so the
/// changes of one transaction apply in arrival order. Using the commit
/// rather than the change LSN keeps a snapshot read (stamped with the
/// snapshot's LSN) from outranking a transaction that started before the
/// snapshot but committed after it.
public enum SQLServerLSN {
    public static func version(source: JSONObject?) throws(DecodeError) -> Int64 {
        let text = source?["commit_lsn"]?.stringValue ?? source?["change_lsn"]?.stringValue
        guard let text else {
            throw DecodeError(.missingVersion, "event has no source.commit_lsn or change_lsn (version.source=commit_lsn)")
        }
        guard let version = pack(text) else {
            throw DecodeError(
                .missingVersion,
                "SQL Server LSN '\(text)' is not vlf:block:slot hex, or exceeds the 27/24/12-bit version layout; use version.source=ts_ms")
        }
        return version
    }

    /// The 63-bit version of an LSN, or `nil` when it is malformed or out of range.
    public static func pack(_ lsn: String) -> Int64? {
        let parts = lsn.split(separator: ":")
        guard parts.count == 3, let vlf = Int64(parts[0], radix: 16), let block = Int64(parts[1], radix: 16),
            let slot = Int64(parts[2], radix: 16), vlf >= 0, block >= 0, slot >= 0,
            vlf < 1 << 27, block < 1 << 24, slot < 1 << 12
        else { return nil }
        return vlf << 36 | block << 12 | slot
    }
}
