#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-for-byte equality through libc's `memcmp`, for the hot path's name
/// comparisons (member names against known names and plan columns): the
/// generic `elementsEqual` costs several instructions per byte, `memcmp` a
/// few per call for short names and a vector step per 32 bytes for long ones.
enum ByteEquality {
    @inline(__always)
    static func equal(_ bytes: UnsafeRawBufferPointer, _ other: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == other.count else { return false }
        guard let base = bytes.baseAddress, let otherBase = other.baseAddress else { return true }
        return memcmp(base, otherBase, bytes.count) == 0
    }

    /// Whether `bytes` spell `literal` (an ASCII or UTF-8 static string).
    @inline(__always)
    static func equal(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        equal(bytes, UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Whether `bytes` are `string`'s UTF-8.
    ///
    /// Labelled so that a string literal argument always takes the
    /// `StaticString` overload: through this one, each comparison with a
    /// literal retained and released the literal's storage.
    @inline(__always)
    static func equal(_ bytes: UnsafeRawBufferPointer, utf8Of string: String) -> Bool {
        guard string.utf8.count == bytes.count else { return false }
        var string = string
        return string.withUTF8 { equal(bytes, UnsafeRawBufferPointer($0)) }
    }
}
